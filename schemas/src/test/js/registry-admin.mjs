// Third-party proof for the registry's deletes, deleted=true listings and modes, run by
// ThirdPartyClientInteropTests with Confluent's own Node.js client (@confluentinc/schemaregistry). That client has
// no mode calls and no deleted=true listings, so those go through its own REST layer (the same headers, content
// type and RestError mapping as its other calls). It prints one line "RESULT <json>" for the Java test to check;
// every refused call is recorded as the error code the client raised.
import { SchemaRegistryClient, RestError } from '@confluentinc/schemaregistry';

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`registry-admin.mjs: environment variable ${name} is required`);
    process.exit(2);
  }
  return value;
};

const url = env('SCHEMA_REGISTRY_URL');
const subject = env('SUBJECT');
const modeSubject = `${subject}-mode`;
const v1 = env('SCHEMA_V1');
const v2 = env('SCHEMA_V2');
const timeoutMs = Number(process.env.TIMEOUT_MS ?? 60000);

const overall = setTimeout(() => {
  console.error(`registry-admin.mjs: gave up after ${timeoutMs} ms`);
  process.exit(3);
}, timeoutMs);

const client = new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 });
const rest = client.restService;
const avro = (schema) => ({ schemaType: 'AVRO', schema });
const get = async (path) => (await rest.handleRequest(path, 'GET')).data;
const put = async (path, body) => (await rest.handleRequest(path, 'PUT', body)).data;
// The error code of a refused call; a call that succeeds where a refusal was expected answers 0.
const code = async (call) => {
  try {
    await call;
    return 0;
  } catch (e) {
    if (e instanceof RestError) {
      return e.errorCode;
    }
    throw e;
  }
};

async function main() {
  const r = {};
  r.id1 = await client.register(subject, avro(v1));
  r.id2 = await client.register(subject, avro(v2));

  r.softVersion = await client.deleteSubjectVersion(subject, 1, false);
  r.versionsAfterVersionDelete = await client.getAllVersions(subject);
  r.deletedVersion1Id = (await client.getSchemaMetadata(subject, 1, true)).id;
  r.softVersionAgain = await code(client.deleteSubjectVersion(subject, 1, false));
  r.hardVersion2WithoutSoft = await code(client.deleteSubjectVersion(subject, 2, true));
  r.hardSubjectWithoutSoft = await code(client.deleteSubject(subject, true));

  r.softSubject = await client.deleteSubject(subject, false);
  r.softSubjectAgain = await code(client.deleteSubject(subject, false));
  r.subjects = await client.getAllSubjects();
  r.subjectsWithDeleted = await get('/subjects?deleted=true');
  r.versionsWithDeleted = await get(`/subjects/${subject}/versions?deleted=true`);
  r.liveVersions = await code(client.getAllVersions(subject));
  r.lookupDeletedVersion = await client.getVersion(subject, avro(v2), false, true);
  r.id2Usages = await get(`/schemas/ids/${r.id2}/versions?deleted=true`);
  r.id2Schema = (await get(`/schemas/ids/${r.id2}`)).schema;

  r.hardSubject = await client.deleteSubject(subject, true);
  r.subjectsAfterHard = await get('/subjects?deleted=true');
  r.versionAfterHard = await code(client.getSchemaMetadata(subject, 1, true));

  r.readOnly = await put('/mode', { mode: 'READONLY' });
  r.registerReadOnly = await code(client.register(modeSubject, avro(v1)));
  r.readWrite = await put('/mode', { mode: 'READWRITE' });
  r.subjectImport = await put(`/mode/${modeSubject}`, { mode: 'IMPORT' });
  r.subjectMode = await get(`/mode/${modeSubject}`);
  r.registerImportWithoutId = await code(client.register(modeSubject, avro(v1)));
  r.imported = (await rest.handleRequest(`/subjects/${modeSubject}/versions`, 'POST',
    { schemaType: 'AVRO', schema: v1, id: 7777, version: 5 })).data;
  r.importedVersion = await client.getSchemaMetadata(modeSubject, 5);
  r.subjectModeCleared = (await rest.handleRequest(`/mode/${modeSubject}`, 'DELETE')).data;
  r.globalMode = await get('/mode');
  r.badMode = await code(put('/mode', { mode: 'SIDEWAYS' }));

  console.log('RESULT ' + JSON.stringify(r));
}

main().then(() => {
  clearTimeout(overall);
  process.exit(0);
}).catch((e) => {
  console.error('registry-admin.mjs failed:', e);
  process.exit(1);
});
