// Issues, newest first page by page, with the API's filters; the shown page is polled every 2 s for live status.
import {get, problemView} from '../api.js';
import {h, show, statusBadge, table, time} from '../dom.js';

const STATUSES = ['', 'planned', 'ready', 'running', 'blocked', 'done', 'failed', 'canceled'];
const TYPES = ['', 'feature', 'bug', 'chore', 'research', 'ops', 'doc', 'incident'];
const PRIORITIES = ['', 'P0', 'P1', 'P2', 'P3', 'P4'];

export function issuesView() {
  const view = document.getElementById('view');
  const filters = {status: '', type: '', priority: '', repo_id: ''};
  let cursor = null;
  let shown = null;
  const list = h('div', {id: 'issues'});
  const select = (name, values) => h('label', {for: `filter-${name}`}, name,
    h('select', {id: `filter-${name}`, name, onchange: e => { filters[name] = e.target.value; cursor = null; load(); }},
      values.map(v => h('option', {value: v}, v || 'any'))));
  const form = h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter Issues',
      onsubmit: e => { e.preventDefault(); filters.repo_id = form.elements.repo_id.value.trim(); cursor = null; load(); }},
    select('status', STATUSES), select('type', TYPES), select('priority', PRIORITIES),
    h('label', {for: 'filter-repo'}, 'repo id', h('input', {id: 'filter-repo', name: 'repo_id', size: 28})),
    h('button', {type: 'submit'}, 'Apply'));
  show(view, h('h2', {}, 'Issues'), form, list);

  async function load() {
    const query = new URLSearchParams({limit: '50'});
    for (const [k, v] of Object.entries(filters)) if (v) query.set(k, v);
    if (cursor) query.set('cursor', cursor);
    try {
      const page = await get(`/cwom/issues?${query}`);
      // Unchanged answers leave the page alone, so polling never moves keyboard focus.
      const key = JSON.stringify([query.toString(), page]);
      if (key === shown) return;
      shown = key;
      show(list, table('Issues by id (oldest first); status refreshes every 2 seconds', [
        ['Issue', i => h('a', {href: `#/issues/${i.id}`}, i.title)],
        ['status', i => statusBadge(i.status)],
        ['type', i => i.type], ['priority', i => i.priority ?? ''],
        ['runs', i => String((i.runs || []).length)],
        ['updated', i => time(i.updated_at)],
        ['id', i => h('code', {}, i.id)],
      ], page.items, 'No Issues match.'),
      page.next ? h('button', {type: 'button', onclick: () => { cursor = new URLSearchParams(page.next.split('?')[1]).get('cursor'); load(); }}, 'Next page') : null,
      cursor ? h('button', {type: 'button', onclick: () => { cursor = null; load(); }}, 'First page') : null);
    } catch (e) {
      shown = null;
      show(list, problemView(e));
    }
  }
  load();
  const timer = setInterval(load, 2000);
  return () => clearInterval(timer);
}
