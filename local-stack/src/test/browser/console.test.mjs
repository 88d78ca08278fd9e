// The web console in a real browser (headless Chromium through puppeteer-core) against a running local stack:
// a wrong token is refused; sign in with the keyboard; submit an Issue through the form; see it reach done; open its
// run; see the trace timeline and verified artifacts; open the rejected records. Screenshots go to SCREENSHOTS.
// Run by ConsoleBrowserTests (local-stack); by hand:
//   CONSOLE_URL=http://127.0.0.1:8081/console/ CWOM_TOKEN=$CWOM_SUBMIT_TOKEN CHROMIUM=/usr/bin/chromium \
//   SCREENSHOTS=/tmp/shots node console.test.mjs
import puppeteer from 'puppeteer-core';
import {mkdirSync} from 'node:fs';
import {join} from 'node:path';

const {CONSOLE_URL, CWOM_TOKEN, CHROMIUM, SCREENSHOTS} = process.env;
for (const [name, value] of Object.entries({CONSOLE_URL, CWOM_TOKEN, CHROMIUM, SCREENSHOTS})) {
  if (!value) throw new Error(`${name} is not set`);
}
mkdirSync(SCREENSHOTS, {recursive: true});
const DONE_WITHIN_MS = 120_000;

const log = message => console.log(`${new Date().toISOString()} ${message}`);
const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  // As root (CI containers) Chromium needs --no-sandbox; the page is our own console on 127.0.0.1.
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});
const problems = [];
try {
  const page = await browser.newPage();
  await page.setViewport({width: 1280, height: 900});
  page.setDefaultTimeout(60_000);
  // Any script error or blocked resource (a CSP violation says so on the console) fails the test.
  page.on('pageerror', error => problems.push(`page error: ${error.message}`));
  page.on('console', message => {
    if (message.type() === 'error' && !/status of 40[13]/.test(message.text())) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  const shot = async name => {
    await page.screenshot({path: join(SCREENSHOTS, `${name}.png`), fullPage: true});
    log(`screenshot ${name}.png`);
  };
  const text = selector => page.$eval(selector, element => element.textContent);

  log(`open ${CONSOLE_URL}`);
  await page.goto(CONSOLE_URL, {waitUntil: 'networkidle0'});
  await page.waitForSelector('#token:focus');

  log('a wrong token is refused');
  await page.keyboard.type('cwom_not-a-token');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#sign-in-error .problem');
  const refusal = await text('#sign-in-error .problem');
  if (!/401/.test(refusal) || !/INVALID_TOKEN/.test(refusal)) throw new Error(`unexpected refusal: ${refusal}`);
  if (await page.$eval('#nav', nav => !nav.hidden)) throw new Error('navigation shown without a valid token');
  await shot('01-wrong-token');

  log('sign in with the keyboard');
  await page.$eval('#token', field => { field.value = ''; });
  await page.focus('#token');
  await page.keyboard.type(CWOM_TOKEN);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#nav:not([hidden])');
  await page.waitForSelector('#issues');
  await shot('02-issues');

  log('submit an Issue through the form');
  await page.click('nav a[href="#/submit"]');
  await page.waitForSelector('#submit-form');
  const title = `Console browser test ${Date.now()}`;
  await page.type('#issue-title', title);
  await page.select('#issue-type', 'research');
  await page.type('#packet-summary', 'Submitted by the browser test.');
  await page.click('#submit-form button[type=submit]');
  await page.waitForSelector('#submitted-issue, #submit-result .problem');
  if (await page.$('#submit-result .problem')) throw new Error(`submit refused: ${await text('#submit-result')}`);
  const issueId = await text('#submitted-issue');
  log(`submitted Issue ${issueId}`);
  await shot('03-submitted');

  log('see it reach done');
  await page.click('#submitted-issue');
  await page.waitForFunction(() => document.querySelector('h2 .status')?.dataset.status === 'done'
      || ['failed', 'canceled'].includes(document.querySelector('h2 .status')?.dataset.status),
    {timeout: DONE_WITHIN_MS});
  const status = await page.$eval('h2 .status', badge => badge.dataset.status);
  if (status !== 'done') throw new Error(`the Issue ended ${status}`);
  await page.waitForFunction(() => [...document.querySelectorAll('td code')].some(c => c.textContent.startsWith('sha256:')), {timeout: DONE_WITHIN_MS});
  await shot('04-issue-done');

  log('open its run');
  await page.click('a[href^="#/runs/"]');
  await page.waitForSelector('#timeline table', {timeout: DONE_WITHIN_MS});
  const steps = await page.$$eval('#timeline tbody tr', rows => rows.length);
  if (steps < 1) throw new Error('the timeline is empty');
  await page.waitForSelector('[data-verdict="verified"]');
  const verdicts = await page.$$eval('[data-verdict]', cells => cells.map(c => c.dataset.verdict));
  if (verdicts.includes('mismatch')) throw new Error(`a digest mismatch: ${verdicts}`);
  const log_ = await text('#trace-log');
  log(`run page: ${steps} timeline events, artifacts ${verdicts.join(', ')}, trace.log ${log_.length} chars`);
  await shot('05-run');

  log('the rejected records page');
  await page.click('nav a[href="#/rejections"]');
  await page.waitForSelector('#rejections table, #rejections p, #rejections .problem');
  if (await page.$('#rejections .problem')) throw new Error(`rejections: ${await text('#rejections')}`);
  await shot('06-rejections');

  log('sign out');
  await page.click('#sign-out');
  await page.waitForSelector('#sign-in:not([hidden])');
  const kept = await page.evaluate(() => sessionStorage.getItem('cwom.token'));
  if (kept) throw new Error('the token stayed in sessionStorage after sign-out');

  if (problems.length) throw new Error(`the page reported problems:\n${problems.join('\n')}`);
  log('the console works');
} finally {
  await browser.close();
}
