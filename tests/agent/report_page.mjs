// Opens an HTML file in headless Chromium (Debian's, as the VS Code end-to-end test) through playwright-core (from
// client-vscode/e2e, installed by scripts/install-vscode-deps.sh), saves a full-page screenshot, follows the first
// link of the project table, and prints what the page showed as one JSON line.
// Usage: node report_page.mjs PAGE.html SCREENSHOT.png
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(new URL('../../client-vscode/e2e/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const [page, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const seen = { consoleErrors: [], pageErrors: [], requests: [] };
  tab.on('console', (message) => message.type() === 'error' && seen.consoleErrors.push(message.text()));
  tab.on('pageerror', (error) => seen.pageErrors.push(String(error)));
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
