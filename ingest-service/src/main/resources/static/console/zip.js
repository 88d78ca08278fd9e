// Reads members of a zip (the worker's trace bundle) in the browser: the central directory for names and offsets,
// then a member's bytes, stored (method 0) or deflated (method 8, through DecompressionStream('deflate-raw')).
// Only what the console shows is read; it is bounded by `maxBytes`.

const EOCD = 0x06054b50, CENTRAL = 0x02014b50, LOCAL = 0x04034b50;

/** The members of `bytes` (a Uint8Array): [{name, method, compressedSize, size, offset}]. */
export function entries(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  // The end record is in the last 22 + 65535 bytes (a comment may follow it).
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === EOCD) { end = i; break; }
  }
  if (end < 0) throw new Error('not a zip file (no end of central directory)');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  const result = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) throw new Error('corrupt central directory');
    const nameLength = view.getUint16(at + 28, true);
    result.push({
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      offset: view.getUint32(at + 42, true),
      name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return result;
}

/** The member called `name` (or ending in "/name") as text, at most `maxBytes` of it; null when there is none. */
export async function readText(bytes, name, maxBytes = 1024 * 1024) {
  const entry = entries(bytes).find(e => e.name === name || e.name.endsWith('/' + name));
  if (!entry) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(entry.offset, true) !== LOCAL) throw new Error(`corrupt local header of ${entry.name}`);
  const start = entry.offset + 30 + view.getUint16(entry.offset + 26, true) + view.getUint16(entry.offset + 28, true);
  const data = bytes.subarray(start, start + entry.compressedSize);
  let content;
  if (entry.method === 0) content = data.subarray(0, maxBytes);
  else if (entry.method === 8) content = await inflate(data, maxBytes);
  else throw new Error(`${entry.name} uses compression method ${entry.method}, which the console cannot read`);
  return new TextDecoder().decode(content);
}

async function inflate(data, maxBytes) {
  const reader = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks = [];
  let total = 0;
  while (total < maxBytes) {
    const {done, value} = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
  }
  reader.cancel().catch(() => {});
  const out = new Uint8Array(Math.min(total, maxBytes));
  let at = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, out.length - at);
    out.set(part, at);
    at += part.length;
    if (at >= out.length) break;
  }
  return out;
}
