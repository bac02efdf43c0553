// A real VS Code for the end-to-end test: code-server (VS Code in a browser, installed by
// scripts/install-code-server.sh) in its own session and process group, driven by Debian's Chromium through
// playwright-core. Offline: no gallery, no telemetry, no update checks.
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const codeServer = join(here, 'node_modules', '.bin', 'code-server');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone
  }
}

/**
 * Starts VS Code on `workspace` with `vsix` (and the `others`) installed and `settings` as user settings.
 * Returns helpers; `close()` stops the browser and the whole code-server process group.
 */
export async function startVSCode({ workspace, vsix, others = [], settings, output }) {
  for (const [path, fix] of [
    [codeServer, 'run scripts/install-code-server.sh'],
    [chromiumPath, 'run scripts/install-system-deps.sh (Debian package chromium)'],
    [vsix, 'run `npm run package` in client-vscode'],
  ]) {
    if (!existsSync(path)) {
      throw new Error(`${path} is missing: ${fix}.`);
    }
  }
  rmSync(output, { recursive: true, force: true });
  mkdirSync(output, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'untilgreen-vscode-e2e-'));
  const dirs = Object.fromEntries(
    ['user-data', 'extensions', 'config', 'data', 'chromium'].map((name) => [name, join(scratch, name)]),
  );
  Object.values(dirs).forEach((dir) => mkdirSync(dir, { recursive: true }));
  mkdirSync(join(dirs['user-data'], 'User'), { recursive: true });
  writeFileSync(
    join(dirs['user-data'], 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'security.workspace.trust.enabled': false,
        'chat.disableAIFeatures': true,
        ...settings,
      },
      null,
      2,
    ),
  );
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    // No extension gallery: nothing may leave the machine.
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item' }),
  };
  const common = ['--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions];
  for (const extension of [vsix, ...others]) {
    await promisify(execFile)(codeServer, [...common, '--install-extension', extension], { env });
  }

  const port = await freePort();
  const logFile = join(scratch, 'code-server.log');
  const log = openSync(logFile, 'w');
  // detached: the child calls setsid(), so code-server and every extension host it starts share one process group.
  const child = spawn(
    codeServer,
    [
      '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', ...common, workspace,
    ],
    { detached: true, env, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const onExit = () => killGroup(child, 'SIGKILL');
  process.on('exit', onExit);

  let context;
  async function close() {
    try {
      await context?.close();
    } finally {
      killGroup(child, 'SIGTERM');
      const exited = new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      killGroup(child, 'SIGKILL');
      process.off('exit', onExit);
      copyFileSync(logFile, join(output, 'code-server.log'));
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60);
    context = await chromium.launchPersistentContext(dirs.chromium, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1440, height: 900 },
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    return new Session(page, output, close);
  } catch (error) {
    await close();
    throw error;
  }
}

class Session {
  constructor(page, output, close) {
    this.page = page;
    this.output = output;
    this.close = close;
    this.shots = 0;
  }

  /** Writes NN-name.png into the output folder. */
  async screenshot(name) {
    this.shots += 1;
    const file = join(this.output, `${String(this.shots).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Types `text` into the open quick input and clicks the row whose label is exactly `label`. */
  async pick(text, label = text) {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.pressSequentially(text, { delay: 10 });
    const exactly = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const row = this.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exactly }) })
      .first();
    await row.click({ timeout: 20_000 });
  }

  /** Runs a palette command by its full title ("untilgreen: Show Attempts"). */
  async command(title) {
    await this.page.keyboard.press('F1');
    await this.pick(title);
  }

  /** Opens a workspace file through Quick Open. */
  async open(relativePath) {
    const name = relativePath.split('/').pop();
    const tab = this.page.locator(`.tab.active[data-resource-name="${name}"]`);
    // Quick Open re-ranks its list while it fills (recently opened files first), so a click can land on a row
    // that just moved: try again rather than fail on that.
    for (let attempt = 1; ; attempt += 1) {
      await this.page.keyboard.press('Control+P');
      await this.pick(relativePath, name);
      try {
        await tab.waitFor({ timeout: 10_000 });
        return;
      } catch (error) {
        if (attempt === 3) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** The text of the Output panel showing `channel`. */
  async showOutput(channel) {
    await this.command('Output: Show Output Channels...');
    await this.pick(channel);
    return this.page.locator('.part.panel .output-view, .part.panel .monaco-editor .view-lines').first();
  }
}
