// The intake's rejected records (cwom.issues.rejected.v1) a page at a time, with their reason codes.
import {get, problemView} from '../api.js';
import {code, h, show, table, time} from '../dom.js';

export async function rejectionsView() {
  const view = document.getElementById('view');
  const list = h('div', {id: 'rejections'});
  const cursors = [];
  show(view, h('h2', {}, 'Rejected records'),
    h('p', {class: 'muted'}, 'Submissions the Kafka intake refused, in the rejected topic\'s order (partition, then offset).'),
    list);

  async function load(cursor) {
    const query = new URLSearchParams({limit: '50'});
    if (cursor) query.set('cursor', cursor);
    try {
      const page = await get(`/cwom/intake/rejections?${query}`);
      show(list, table('Rejected records with their reason codes', [
        ['rejected', r => time(r.rejected_at)], ['reason', r => h('strong', {class: 'reason'}, r.reason_code)],
        ['message', r => r.message], ['key', r => code(r.key)],
        ['source', r => r.source_topic ? `${r.source_topic} [${r.source_partition}] @${r.source_offset}` : ''],
        ['value', r => r.value_preview !== null && r.value_preview !== undefined ? code(r.value_preview)
          : r.value_bytes !== null && r.value_bytes !== undefined ? `${r.value_bytes} bytes (binary)` : 'none']],
      page.items, 'No rejected records.'),
      cursors.length ? h('button', {type: 'button', onclick: () => { cursors.pop(); load(cursors[cursors.length - 1]); }}, 'Previous page') : null,
      page.next ? h('button', {type: 'button', onclick: () => {
        const next = new URLSearchParams(page.next.split('?')[1]).get('cursor');
        cursors.push(next);
        load(next);
      }}, 'Next page') : null);
    } catch (e) {
      show(list, problemView(e));
    }
  }
  await load(null);
  return null;
}
