// The console's shell: sign-in, navigation and a hash router (#/issues, #/issues/ID, #/runs/ID, #/rejections,
// #/submit). Each view renders into #view and may return a stop function (for its polling), called on leaving.
import {signIn, signOut, token, problemView} from './api.js';
import {show} from './dom.js';
import {issuesView} from './views/issues.js';
import {issueView} from './views/issue.js';
import {runView} from './views/run.js';
import {rejectionsView} from './views/rejections.js';
import {submitView} from './views/submit.js';

const routes = [
  [/^#\/issues\/([0-9A-Z]{26})$/, id => issueView(id)],
  [/^#\/runs\/([0-9A-Z]{26})$/, id => runView(id)],
  [/^#\/rejections$/, () => rejectionsView()],
  [/^#\/submit$/, () => submitView()],
  [/^(#\/issues)?$|^#?\/?$/, () => issuesView()],
];

let stop = null;
const view = document.getElementById('view');

async function route() {
  if (stop) { stop(); stop = null; }
  const signedIn = !!token();
  document.getElementById('sign-in').hidden = signedIn;
  document.getElementById('nav').hidden = !signedIn;
  if (!signedIn) {
    show(view);
    document.getElementById('token').focus();
    return;
  }
  for (const [pattern, render] of routes) {
    const match = location.hash.match(pattern);
    if (match) {
      try {
        stop = await render(match[1]);
      } catch (e) {
        show(view, problemView(e));
      }
      return;
    }
  }
  show(view, problemView(new Error(`No page at ${location.hash}`)));
}

document.getElementById('sign-in-form').addEventListener('submit', async event => {
  event.preventDefault();
  const field = document.getElementById('token');
  const error = document.getElementById('sign-in-error');
  show(error);
  try {
    await signIn(field.value.trim());
    field.value = '';
    await route();
    document.getElementById('main').focus();
  } catch (e) {
    show(error, problemView(e));
    field.focus();
  }
});

document.getElementById('sign-out').addEventListener('click', () => {
  signOut();
  location.hash = '#/issues';
  route();
});

window.addEventListener('hashchange', route);
route();
