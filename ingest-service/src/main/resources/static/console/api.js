// The REST API of this origin with the signed-in token. Errors are the API's problem+json, shown readably.
import {h} from './dom.js';

const TOKEN_KEY = 'cwom.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Checks the token against the API (a read of one Issue) and keeps it for this tab only when it is accepted. */
export async function signIn(candidate) {
  await request('GET', '/cwom/issues?limit=1', undefined, candidate);
  sessionStorage.setItem(TOKEN_KEY, candidate);
}

/** An error answer of the API: status, and the problem+json body when there is one. */
export class ApiError extends Error {
  constructor(status, problem, path) {
    super(problem?.detail || problem?.title || `HTTP ${status} from ${path}`);
    this.status = status;
    this.problem = problem;
    this.path = path;
  }
}

export async function request(method, path, body, bearer = token()) {
  const headers = {Accept: 'application/json, application/problem+json'};
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store'});
  } catch (e) {
    throw new ApiError(0, {title: 'The API did not answer', detail: String(e)}, path);
  }
  if (!response.ok) throw new ApiError(response.status, await problemOf(response), path);
  return response.status === 204 ? null : response.json();
}

export const get = path => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const patch = (path, body) => request('PATCH', path, body);

/** An artifact's body as bytes (through /cwom/artifacts/{id}/content, same origin). */
export async function download(artifactId) {
  const path = `/cwom/artifacts/${encodeURIComponent(artifactId)}/content`;
  const response = await fetch(path, {headers: {Authorization: `Bearer ${token()}`}, credentials: 'omit',
    cache: 'no-store'});
  if (!response.ok) throw new ApiError(response.status, await problemOf(response), path);
  return new Uint8Array(await response.arrayBuffer());
}

async function problemOf(response) {
  const type = response.headers.get('Content-Type') || '';
  try {
    if (type.includes('json')) return await response.json();
  } catch { /* not JSON after all: fall through */ }
  return {title: `HTTP ${response.status}`, detail: (await response.text().catch(() => '')).slice(0, 500)};
}

/** The problem as people read it: title, status and code, detail, and each listed error. */
export function problemView(error) {
  const p = error instanceof ApiError ? error.problem || {} : {title: 'Error', detail: String(error)};
  const status = error instanceof ApiError ? error.status : undefined;
  const lists = [];
  for (const e of p.errors || []) lists.push(`${e.path}: ${e.message}`);
  for (const m of p.missing || []) lists.push(`missing ${m.kind} ${m.id} at ${m.path}`);
  for (const m of p.mismatched || []) lists.push(`${m.path}: ${m.kind} ${m.id} ${m.reason}`);
  for (const v of p.violations || []) lists.push(`${v.code}: ${v.message}`);
  if (p.allowed) lists.push(`allowed: ${[].concat(p.allowed).join(', ')}`);
  if (p.required_scope) lists.push(`needs scope ${p.required_scope}; the token has ${[].concat(p.granted_scopes || []).join(' ') || 'none'}`);
  return h('div', {class: 'problem', role: 'alert'},
    h('h3', {}, p.title || 'Error', status ? ` (${status}${p.code ? ' ' + p.code : ''})` : ''),
    p.detail ? h('p', {}, p.detail) : null,
    lists.length ? h('ul', {}, lists.map(line => h('li', {}, line))) : null);
}
