// One Issue: what was asked, its inputs with their digests (as pinned by its latest run), and its runs; polled
// every 2 s until the Issue is final.
import {get, problemView} from '../api.js';
import {code, fields, h, show, statusBadge, table, time} from '../dom.js';

const FINAL = ['done', 'failed', 'canceled'];

export async function issueView(id) {
  const view = document.getElementById('view');
  let shown = null;
  let timer = null;
  let finalPolls = 0;

  // Polled until the Issue is final and its latest run's pinned digests are shown (artifact-service may store the
  // run a moment after the Issue is done), or a while after it became final.
  async function load() {
    try {
      const detail = await get(`/cwom/issues/${id}`);
      const runs = detail.runs || [];
      // The digests an input was pinned with are on the run: ask the latest one once artifact-service stored it
      // (a summary has its mode from then on; before, the run is known only from its events).
      const last = runs[runs.length - 1];
      const latest = last?.mode ? await get(`/cwom/runs/${last.id}`).catch(() => null) : null;
      const key = JSON.stringify([detail, latest]);
      if (key !== shown) {
        shown = key;
        render(view, detail, latest);
      }
      if (FINAL.includes(detail.issue.status) && (!last || latest || ++finalPolls > 15)) stopPolling();
    } catch (e) {
      shown = null;
      show(view, h('h2', {}, `Issue ${id}`), problemView(e));
    }
  }
  const stopPolling = () => { if (timer) clearInterval(timer); timer = null; };
  timer = setInterval(load, 2000);
  await load();
  return stopPolling;
}

function render(view, detail, latestRun) {
  const issue = detail.issue;
  const pinned = new Map();
  const inputs = latestRun?.inputs || {};
  for (const ref of [...(inputs.context_packets || []), ...(inputs.doctrine_refs || []),
    ...(inputs.constraint_snapshot ? [inputs.constraint_snapshot] : [])]) pinned.set(ref.id, ref.digest);
  const digestOf = ref => code(ref.digest || pinned.get(ref.id) || 'not pinned by a run yet');
  const inputRows = [
    ...(detail.context_packets || []).map(p => ({kind: 'ContextPacket', id: p.id, what: `v${p.version}: ${p.summary ?? ''}`})),
    ...(detail.constraint_snapshot ? [{kind: 'ConstraintSnapshot', id: detail.constraint_snapshot.id,
      what: `scope ${detail.constraint_snapshot.scope}`}] : []),
    ...(detail.doctrine_refs || []).map(d => ({kind: 'DoctrineRef', id: d.id,
      what: `${d.namespace}/${d.name} v${d.version}`})),
  ];
  show(view,
    h('p', {}, h('a', {href: '#/issues'}, '← Issues')),
    h('h2', {}, issue.title, ' ', statusBadge(issue.status)),
    fields([['id', code(issue.id)], ['type', issue.type], ['priority', issue.priority], ['repo', code(issue.repo?.id)],
      ['description', issue.description], ['submitted by', issue.meta?.submitted_by],
      ['created', time(issue.created_at)], ['updated', time(issue.updated_at)]]),
    h('h3', {}, 'Inputs'),
    table('The Issue\'s inputs; digests as its latest run pinned them', [
      ['kind', r => r.kind], ['what', r => r.what], ['id', r => code(r.id)],
      ['digest', r => digestOf(r)]], inputRows, 'No inputs.'),
    h('h3', {}, 'Runs'),
    table('Every run of the Issue, oldest first', [
      ['run', r => h('a', {href: `#/runs/${r.id}`}, r.id)], ['status', r => statusBadge(r.status)],
      ['mode', r => r.mode ?? ''], ['started', r => time(r.started_at)], ['ended', r => time(r.ended_at)],
      ['result', r => r.result_summary ?? (r.failure ? `${r.failure.category}: ${r.failure.message}` : '')]],
    detail.runs || [], 'No runs yet.'));
}
