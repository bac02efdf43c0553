// Opens the page of a running `untilgreen serve` in headless Chromium (tests/support/browser.mjs), and
// prints what it showed as one JSON line: the runs list, a running run's live progress and then its attempts side
// by side, and an eval's report. Screenshots go to OUT.
// Usage: node serve_page.mjs URL RUN OUT
import { launch, watchedTab } from '../support/browser.mjs';

const [url, running, out] = process.argv.slice(2);
const browser = await launch();
try {
  const seen = { elsewhere: [] };
  const tab = await watchedTab(browser, seen);
  tab.on('request', (request) => request.url().startsWith(url) || seen.elsewhere.push(request.url()));

  await tab.goto(`${url}/#runs`, { waitUntil: 'load' });
  await tab.locator('#runs tr').nth(1).waitFor();
  seen.runRows = await tab.locator('#runs tr').count() - 1;
  seen.statuses = await tab.locator('#runs td:nth-child(3)').allTextContents();
  await tab.screenshot({ path: `${out}/runs.png`, fullPage: true });

  await tab.goto(`${url}/#run/${running}`, { waitUntil: 'load' });
  await tab.locator('#progress').waitFor();
  seen.progress = [];
  const until = Date.now() + 120000;
  while (Date.now() < until) {  // the progress line as the events come; then the page shows the ended run
    const text = await tab.locator('#progress').textContent().catch(() => '');
    if (text && seen.progress.at(-1) !== text) seen.progress.push(text);
    if ((await tab.locator('#facts.green, #facts.failed').count()) > 0) break;
    await tab.waitForTimeout(100);
  }
  await tab.screenshot({ path: `${out}/live.png`, fullPage: true });
  await tab.locator('.attempt summary').first().click();
  seen.facts = await tab.locator('#facts').textContent();
  seen.attempts = await tab.locator('.attempt').count();
  seen.deleted = await tab.locator('.attempt .diff .del').first().textContent();
  seen.added = await tab.locator('.attempt .diff .add').first().textContent();
  await tab.screenshot({ path: `${out}/run.png`, fullPage: true });

  const evalUntil = Date.now() + 120000;
  while (Date.now() < evalUntil) {  // the eval ends after the run; its list is read again until it has a report
    await tab.goto(`${url}/#evals`, { waitUntil: 'load' });
    await tab.locator('#evals').waitFor();
    if ((await tab.locator('#evals a').count()) > 0) break;
    await tab.waitForTimeout(500);
  }
  await tab.screenshot({ path: `${out}/evals.png`, fullPage: true });
  await tab.locator('#evals a').first().click();
  const report = tab.frameLocator('#report');
  await report.locator('h1').waitFor();
  seen.report = await report.locator('h1').textContent();
  await tab.screenshot({ path: `${out}/eval.png`, fullPage: true });
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
