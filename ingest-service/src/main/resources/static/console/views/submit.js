// A form for one Issue, submitted the way `cwom submit` does over REST: the Repo found by slug (created when new),
// a ConstraintSnapshot, the Issue as planned, its ContextPacket, and only then the status change to ready, so the
// work order holds every input. A refusal stops at its step and shows the API's problem.
import {get, patch, post, problemView} from '../api.js';
import {h, show} from '../dom.js';

const TYPES = ['research', 'doc', 'chore', 'feature', 'bug', 'ops', 'incident'];
const PRIORITIES = ['', 'P0', 'P1', 'P2', 'P3', 'P4'];

export function submitView() {
  const view = document.getElementById('view');
  const result = h('div', {id: 'submit-result', 'aria-live': 'polite'});
  const field = (id, label, input) => h('label', {for: id}, label, input);
  const form = h('form', {class: 'stack', id: 'submit-form', onsubmit: submit},
    field('repo-slug', 'Repo slug (found, or created when new)', h('input', {id: 'repo-slug', name: 'slug', required: true, value: 'me/console'})),
    field('issue-title', 'Title', h('input', {id: 'issue-title', name: 'title', required: true, maxlength: 300})),
    field('issue-type', 'Type (research, doc and chore run on the noop executor)',
      h('select', {id: 'issue-type', name: 'type'}, TYPES.map(t => h('option', {value: t}, t)))),
    field('issue-priority', 'Priority', h('select', {id: 'issue-priority', name: 'priority'}, PRIORITIES.map(p => h('option', {value: p}, p || 'none')))),
    field('issue-description', 'Description', h('textarea', {id: 'issue-description', name: 'description', rows: 3})),
    field('packet-summary', 'What is known (a ContextPacket\'s summary; empty for none)', h('textarea', {id: 'packet-summary', name: 'summary', rows: 2})),
    field('time-minutes', 'Time budget in minutes (a ConstraintSnapshot; empty for none)', h('input', {id: 'time-minutes', name: 'minutes', type: 'number', min: 1, max: 1440, value: 5})),
    h('label', {class: 'check', for: 'make-ready'}, h('input', {id: 'make-ready', name: 'ready', type: 'checkbox', checked: true}), 'Ready: dispatch it to a worker now'),
    h('button', {type: 'submit', class: 'primary'}, 'Submit'));
  show(view, h('h2', {}, 'Submit an Issue'), form, result);

  async function submit(event) {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    const steps = h('ol', {});
    show(result, steps);
    const step = async (what, call) => {
      const item = h('li', {}, `${what}…`);
      steps.append(item);
      const answer = await call();
      item.textContent = `${what}: done`;
      return answer;
    };
    try {
      const slug = data.slug.trim();
      const found = await step(`Look up Repo ${slug}`, () => get(`/cwom/repos?slug=${encodeURIComponent(slug)}`));
      const repoId = found.items.length ? found.items[0].id
        : (await step('Create the Repo', () => post('/cwom/repos', {name: slug.split('/').pop(), slug}))).id;
      let snapshotId = null;
      if (data.minutes) {
        snapshotId = (await step('Create the ConstraintSnapshot', () => post('/cwom/constraint-snapshots',
          {scope: 'run', constraints: {time: {available_minutes: Number(data.minutes)}}}))).id;
      }
      const issue = {repo: {kind: 'Repo', id: repoId}, title: data.title.trim(), type: data.type, status: 'planned'};
      if (data.priority) issue.priority = data.priority;
      if (data.description.trim()) issue.description = data.description.trim();
      if (snapshotId) issue.constraints = {kind: 'ConstraintSnapshot', id: snapshotId};
      const issueId = (await step('Create the Issue', () => post('/cwom/issues', issue))).id;
      if (data.summary.trim()) {
        await step('Create the ContextPacket', () => post('/cwom/context-packets',
          {for_issue: {kind: 'Issue', id: issueId}, version: '1', summary: data.summary.trim()}));
      }
      if (data.ready) await step('Make it ready', () => patch(`/cwom/issues/${issueId}/status`, {status: 'ready'}));
      result.append(h('p', {}, 'Submitted: ', h('a', {href: `#/issues/${issueId}`, id: 'submitted-issue'}, issueId)));
    } catch (e) {
      result.append(problemView(e));
    } finally {
      button.disabled = false;
    }
  }
  document.getElementById('repo-slug').focus();
  return null;
}
