// Opens an HTML file in headless Chromium (tests/support/browser.mjs), saves a full-page screenshot, follows the first
// link of the project table, and prints what the page showed as one JSON line.
// Usage: node report_page.mjs PAGE.html SCREENSHOT.png
import { pathToFileURL } from 'node:url';
import { launch, watchedTab } from '../support/browser.mjs';

const [page, screenshot] = process.argv.slice(2);
const browser = await launch();
try {
  const seen = { requests: [] };
  const tab = await watchedTab(browser, seen);
  tab.on('request', (request) => request.url().startsWith('file:') || seen.requests.push(request.url()));
  await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });
  await tab.screenshot({ path: screenshot, fullPage: true });
  seen.plots = await tab.locator('svg.plot').count();
  seen.marks = await tab.locator('svg.plot :is(rect, circle)').count();
  seen.rows = await tab.locator('#project-table tbody tr').count();
  const link = tab.locator('#project-table a').first();
  const target = (await link.getAttribute('href')).slice(1);
  await link.click();
  seen.patchShown = await tab.locator(`[id="${target}"]`).isVisible();
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
