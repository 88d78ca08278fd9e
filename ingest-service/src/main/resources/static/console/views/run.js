// One Run: its status, the inputs it pinned (with digests), its artifacts (each downloaded through this origin and
// checked here: sha256 of the body against the stored digest), and the timeline and log of its trace bundle, read
// only from a bundle that passed that check.
import {download, get, problemView} from '../api.js';
import {code, fields, h, show, statusBadge, table, time} from '../dom.js';
import {readText} from '../zip.js';

const FINAL = ['done', 'failed', 'canceled'];
/** Bodies up to this size are fetched and checked when the page opens; larger ones on request. */
const AUTO_VERIFY_BYTES = 16 * 1024 * 1024;

export async function runView(id) {
  const view = document.getElementById('view');
  let timer = null;
  let shown = null;
  let finalPolls = 0;

  // Re-rendered only when the status or the set of artifacts changes (a re-render fetches and checks the bodies
  // again); polling stops once the run is final and its trace is there, or a while after it became final.
  async function load() {
    try {
      const run = await get(`/cwom/runs/${id}`);
      const artifacts = (await get(`/cwom/runs/${id}/artifacts?limit=1000`)).items;
      const key = JSON.stringify([run.status, artifacts.map(a => a.id)]);
      if (key !== shown) {
        shown = key;
        await render(view, run, artifacts);
      }
      if (FINAL.includes(run.status) && (artifacts.some(a => a.type === 'trace') || ++finalPolls > 15)) stopPolling();
    } catch (e) {
      shown = null;
      show(view, h('h2', {}, `Run ${id}`), problemView(e));
    }
  }
  const stopPolling = () => { if (timer) clearInterval(timer); timer = null; };
  timer = setInterval(load, 2000);
  await load();
  return stopPolling;
}

async function render(view, run, artifacts) {
  const inputs = run.inputs || {};
  const pinned = [...(inputs.context_packets || []), ...(inputs.constraint_snapshot ? [inputs.constraint_snapshot] : []),
    ...(inputs.doctrine_refs || [])];
  const timeline = h('div', {id: 'timeline'}, h('p', {class: 'muted'}, 'No trace bundle yet.'));
  const log = h('div', {id: 'trace-log'});
  show(view,
    h('p', {}, h('a', {href: `#/issues/${run.for_issue?.id}`}, '← Issue')),
    h('h2', {}, `Run `, code(run.id), ' ', statusBadge(run.status)),
    fields([['Issue', h('a', {href: `#/issues/${run.for_issue?.id}`}, run.for_issue?.id)], ['mode', run.mode],
      ['executor', run.executor?.actor?.actor_id || run.executor?.runtime], ['requested by', run.meta?.requested_by],
      ['started', time(run.telemetry?.started_at)], ['ended', time(run.telemetry?.ended_at)],
      ['duration', run.telemetry?.duration_s !== undefined ? `${run.telemetry.duration_s} s` : null],
      ['result', run.outputs?.result_summary],
      ['failure', run.failure ? `${run.failure.category}: ${run.failure.message}` : null]]),
    h('h3', {}, 'Pinned inputs'),
    table('What the run was given, with the digest of each as pinned', [
      ['kind', r => r.kind], ['id', r => code(r.id)], ['version', r => r.version ?? ''], ['role', r => r.role ?? ''],
      ['digest', r => code(r.digest)]], pinned, 'No inputs pinned.'),
    h('h3', {}, 'Artifacts'),
    table('Each body is downloaded through this console and its sha256 compared with the stored digest', [
      ['title', a => a.title], ['type', a => a.type], ['size', a => a.size_bytes === undefined ? '' : `${a.size_bytes} B`],
      ['digest', a => code(a.digest)], ['body', a => verifier(a, a.type === 'trace' ? timeline : null, log)]],
    artifacts, 'No artifacts yet.'),
    h('h3', {}, 'Timeline'), timeline,
    h('h3', {}, 'Log (trace.log)'), log);
}

/** The cell of one artifact: a verdict once checked, and a download link for the checked bytes. */
function verifier(artifact, timeline, log) {
  const cell = h('span', {class: 'verdict', 'data-artifact': artifact.id});
  const check = async () => {
    show(cell, h('span', {class: 'muted'}, 'checking…'));
    try {
      const bytes = await download(artifact.id);
      const actual = await sha256(bytes);
      const ok = artifact.digest && actual === artifact.digest;
      const link = h('a', {href: URL.createObjectURL(new Blob([bytes], {type: 'application/octet-stream'})),
        download: `${artifact.id}${artifact.type === 'trace' ? '.zip' : ''}`}, 'download');
      show(cell,
        ok ? h('span', {class: 'verified', 'data-verdict': 'verified'}, '✔ verified')
          : h('span', {class: 'mismatch', 'data-verdict': 'mismatch'},
            artifact.digest ? `✘ MISMATCH: body is ${actual}` : '✘ MISMATCH: no stored digest to check'),
        ' ', link);
      if (ok && timeline) await showTrace(bytes, timeline, log);
    } catch (e) {
      show(cell, problemView(e), h('button', {type: 'button', onclick: check}, 'Try again'));
    }
  };
  if (artifact.size_bytes === undefined || artifact.size_bytes <= AUTO_VERIFY_BYTES) check();
  else show(cell, h('button', {type: 'button', onclick: check}, 'Download and verify'));
  return cell;
}

async function sha256(bytes) {
  if (!crypto.subtle) throw new Error('This page is not a secure context (HTTPS or localhost), so it cannot hash');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return 'sha256:' + Array.from(digest, b => b.toString(16).padStart(2, '0')).join('');
}

async function showTrace(bundle, timeline, log) {
  try {
    const events = (await readText(bundle, 'events.jsonl') || '').split('\n').filter(l => l.trim())
      .map(line => { try { return JSON.parse(line); } catch { return {step: 'unreadable line', details: {line}}; } });
    const first = events.length ? Date.parse(events[0].at) : NaN;
    show(timeline, table('The run\'s events from events.jsonl in its verified trace bundle', [
      ['at', e => e.at ?? ''], ['offset', e => isNaN(first) || !e.at ? '' : `+${((Date.parse(e.at) - first) / 1000).toFixed(3)} s`],
      ['step', e => e.step ?? ''],
      ['details', e => Object.entries(e.details || {}).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')]],
    events, 'The bundle has no events.'));
    const text = await readText(bundle, 'trace.log');
    show(log, text === null ? h('p', {class: 'muted'}, 'The bundle has no trace.log.')
      : text === '' ? h('p', {class: 'muted'}, 'trace.log is empty (the executor wrote nothing to it).')
      : h('pre', {class: 'log', tabindex: '0', 'aria-label': 'trace.log'}, text));
  } catch (e) {
    show(timeline, problemView(e));
  }
}
