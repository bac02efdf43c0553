// Headless Chromium (Debian's, as the VS Code end-to-end test) through playwright-core (from client-vscode/e2e,
// installed by scripts/install-vscode-deps.sh), and a tab that records console errors and page errors.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../client-vscode/e2e/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}

export async function watchedTab(browser, seen) {
  const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  seen.consoleErrors = [];
  seen.pageErrors = [];
  tab.on('console', (message) => message.type() === 'error' && seen.consoleErrors.push(message.text()));
  tab.on('pageerror', (error) => seen.pageErrors.push(String(error)));
  return tab;
}
