// Third-party proof for dev.cwom.serde / dev.cwom.registry, run by ThirdPartyClientInteropTests (never by hand
// against shared infrastructure). With kafkajs and @kafkajs/confluent-schema-registry it:
//   1. registers the ArtifactCreated schema through our registry and reads the latest id back,
//   2. fetches the schema the Java serializer registered, by id,
//   3. consumes and decodes the record the Java serializer wrote to the real broker,
//   4. encodes ARTIFACT_JSON with the id from 1 and produces it for the Java deserializer.
// It prints one line "RESULT <json>" for the Java test to check. Every wait is bounded.
import { readFileSync } from 'node:fs';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`interop.mjs: environment variable ${name} is required`);
    process.exit(2);
  }
  return value;
};

const bootstrap = env('BOOTSTRAP_SERVERS').split(',');
const registryUrl = env('SCHEMA_REGISTRY_URL');
const javaTopic = env('JAVA_TOPIC');
const jsTopic = env('JS_TOPIC');
const artifactSchema = readFileSync(env('ARTIFACT_AVSC'), 'utf8');
const artifact = JSON.parse(env('ARTIFACT_JSON'));
const timeoutMs = Number(process.env.TIMEOUT_MS ?? 90000);

const overall = setTimeout(() => {
  console.error(`interop.mjs: gave up after ${timeoutMs} ms`);
  process.exit(3);
}, timeoutMs);

const withTimeout = (promise, ms, what) => Promise.race([
  promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms).unref()),
]);

const registry = new SchemaRegistry({ host: registryUrl });
const kafka = new Kafka({
  clientId: 'cwom-interop-js',
  brokers: bootstrap,
  logLevel: logLevel.ERROR,
  connectionTimeout: 10000,
  retry: { retries: 5 },
});

async function main() {
  const subject = `${jsTopic}-value`;
  const { id: registeredId } = await registry.register(
    { type: SchemaType.AVRO, schema: artifactSchema }, { subject });
  const latestId = await registry.getLatestSchemaId(subject);

  const consumer = kafka.consumer({ groupId: `cwom-interop-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: javaTopic, fromBeginning: true });
  let javaSchemaId;
  const decoded = await withTimeout(new Promise((resolve, reject) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        try {
          javaSchemaId = message.value.readInt32BE(1);
          resolve(await registry.decode(message.value));
        } catch (e) {
          reject(e);
        }
      },
    }).catch(reject);
  }), 60000, `a record on ${javaTopic}`);
  await consumer.disconnect();
  const fetched = await registry.getSchema(javaSchemaId);

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const value = await registry.encode(registeredId, artifact);
  await producer.send({ topic: jsTopic, messages: [{ key: artifact.run_id, value }] });
  await producer.disconnect();

  console.log('RESULT ' + JSON.stringify({
    registeredId, latestId, javaSchemaId, fetchedName: fetched.name, decoded,
  }, (k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

main().then(() => {
  clearTimeout(overall);
  process.exit(0);
}).catch((e) => {
  console.error('interop.mjs failed:', e);
  process.exit(1);
});
