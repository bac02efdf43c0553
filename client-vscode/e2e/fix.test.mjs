// End to end in a real VS Code: install the built .vsix, open a project with a failing test, see the diagnostic,
// fix it from the lightbulb with the built-in repairer, watch the attempts, accept the edit preview, and see the
// test pass; then start a run from a failed test's context menu in the Testing view. A screenshot of every step goes to test-output/vscode-e2e/ (or $UNTILGREEN_E2E_OUTPUT).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { python, repoRoot } from '../scripts/python.mjs';
import { startVSCode } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const output = process.env.UNTILGREEN_E2E_OUTPUT || join(repoRoot, 'test-output', 'vscode-e2e');
const interpreter = python();
const original = readFileSync(join(here, 'fixture', 'pricing.py'), 'utf8');

/** The stand-in for the Python extension's Test Explorer (explorer/), packaged next to the project. */
function packageExplorer(project) {
  const vsix = join(project, '..', `${basename(project)}-explorer.vsix`);
  const vsce = join(here, '..', 'node_modules', '.bin', 'vsce');
  const args = ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix];
  const done = spawnSync(vsce, args, { cwd: join(here, 'explorer'), encoding: 'utf8' });
  assert.equal(done.status, 0, done.stdout + done.stderr);
  return vsix;
}

describe('VS Code: fix until green', { timeout: 300_000 }, () => {
  let vscode;
  let page;
  let project;
  let failed = '';
  let explorer;

  /** A step that runs only after the earlier ones passed and leaves a screenshot when it fails. */
  function step(name, body) {
    it(name, async () => {
      assert.equal(failed, '', `an earlier step failed: ${failed}`);
      try {
        await body();
      } catch (error) {
        failed = name;
        await vscode?.screenshot('failed').catch(() => undefined);
        throw error;
      }
    });
  }

  before(async () => {
    project = realpathSync(mkdtempSync(join(tmpdir(), 'untilgreen-pricing-')));
    cpSync(join(here, 'fixture'), project, { recursive: true });
    vscode = await startVSCode({
      workspace: project,
      vsix: join(here, '..', 'untilgreen.vsix'),
      others: [(explorer = packageExplorer(project))],
      settings: {
        'untilgreen.interpreter': interpreter,
        // Check the tests of a file when it is opened or saved, so the failure shows in Problems.
        'untilgreen.runOnSave': 'file',
        'files.refactoring.autoSave': true,
        'testing.automaticallyOpenPeekView': 'never',
      },
      output,
    });
    page = vscode.page;
  });

  after(async () => {
    await vscode?.close();
    for (const path of [project, explorer].filter(Boolean)) {
      rmSync(path, { recursive: true, force: true });
    }
  });

  step('loads the workbench', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'pricing.py' }).waitFor();
    await vscode.screenshot('workbench');
  });

  step('activates the extension, which starts the server with the configured interpreter', async () => {
    await vscode.open('tests/test_pricing.py');
    const log = await vscode.showOutput('untilgreen');
    await log.getByText(`interpreter: ${interpreter} (setting)`).waitFor({ timeout: 30_000 });
    await vscode.screenshot('log');
  });

  step('shows the failing test in Problems', async () => {
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'AssertionError' }).first();
    await problem.waitFor({ timeout: 120_000 });
    await vscode.screenshot('problems');
  });

  step('offers Fix until green from the lightbulb and starts a run', async () => {
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'AssertionError' }).first().click();
    await page.locator('.editor-instance .monaco-editor textarea').first().focus();
    await page.keyboard.press('Control+Period');
    // The preferred fix comes first and is focused; the menu takes keys (a pointer blocker covers it).
    const fix = page.locator('.action-widget .monaco-list-row.focused', { hasText: /^Fix until green$/ });
    await fix.waitFor({ timeout: 30_000 });
    await vscode.screenshot('quick-fix');
    await page.keyboard.press('Enter');
    await fix.waitFor({ state: 'hidden' });
  });

  step('shows progress and every attempt in the Attempts view', async () => {
    await vscode.command('untilgreen: Show Attempts');
    const attempt = page.locator('.monaco-list-row', { hasText: /Attempt \d+ of \d+/ }).first();
    await attempt.waitFor({ timeout: 180_000 });
    await vscode.screenshot('attempts');
  });

  step('selecting an attempt opens it side by side in the diff editor', async () => {
    const row = page.locator('.monaco-list-row', { hasText: /Attempt 1 of \d+/ }).first();
    await row.click();
    // The title names the attempt and its outcome; before and after are the server's texts of pricing.py.
    await page.locator('.tab', { hasText: /Attempt 1 of \d+: \S+/ }).first().waitFor();
    await page.locator('.monaco-diff-editor .editor.original .view-lines', { hasText: 'bulk_discount' }).first().waitFor();
    await page.locator('.monaco-diff-editor .editor.modified .view-lines', { hasText: 'bulk_discount' }).first().waitFor();
    await vscode.screenshot('attempt-side-by-side');
    // The unified diff stays a context-menu action away.
    await row.click({ button: 'right' });
    await page.locator('.context-view .action-label', { hasText: 'Open Unified Diff' }).first().click();
    await page.locator('.tab[data-resource-name="attempt-1.diff"]').waitFor();
    await page.locator('.editor-instance .view-lines', { hasText: '+++' }).first().waitFor();
    await vscode.screenshot('attempt-diff');
  });

  step('previews the final edit; ticking it and pressing Apply writes it', async () => {
    const apply = page.locator('.bulk-edit-panel .buttons .monaco-button', { hasText: 'Apply' });
    await apply.waitFor({ timeout: 180_000 });
    // The server's edit carries a change annotation that needs confirmation: it starts unticked.
    const file = page.locator('.bulk-edit-panel .monaco-list-row', { hasText: 'pricing.py' }).first();
    await file.locator('input.edit-checkbox').check();
    await vscode.screenshot('edit-preview');
    await apply.click();
    await page.locator('.bulk-edit-panel').waitFor({ state: 'hidden' });
    const deadline = Date.now() + 30_000;
    while (readFileSync(join(project, 'pricing.py'), 'utf8') === original && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.notEqual(readFileSync(join(project, 'pricing.py'), 'utf8'), original, 'pricing.py was not changed');
  });

  step('the tests pass', async () => {
    const pytest = spawnSync(interpreter, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: project, encoding: 'utf8' });
    assert.equal(pytest.status, 0, pytest.stdout + pytest.stderr);
    // The built-in repairer may find any green patch (`>= 10`, `> 9`, ...): the editor must show the one on disk.
    const before = original.split('\n');
    const changed = readFileSync(join(project, 'pricing.py'), 'utf8').split('\n').find((line, i) => line !== before[i]);
    assert.ok(changed, 'pricing.py has no changed line');
    await vscode.open('pricing.py');
    await page.locator('.view-lines', { hasText: changed.trim() }).first().waitFor();
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'green after' }).first().waitFor();
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'AssertionError' }).waitFor({ state: 'detached' });
    await page.locator('[id="status.languageStatus"]').click();
    await page.locator('.hover-language-status', { hasText: 'untilgreen: green' }).waitFor();
    await vscode.screenshot('green');
  });

  // The stand-in explorer still calls the test failed; the run it starts finds it green and ends at once.
  step('offers Fix until green on a failed test of the Testing view', async () => {
    await vscode.command('Test: Run All Tests');
    await vscode.command('Testing: Focus on Test Explorer View');
    const failed = page.locator('.test-explorer .monaco-list-row', { hasText: 'test_discount_starts_at_ten_items' });
    const file = page.locator('.test-explorer .monaco-list-row', { hasText: 'test_pricing.py' }).first();
    await file.waitFor({ timeout: 60_000 });
    if (!(await failed.isVisible())) {
      await file.click();
      await page.keyboard.press('ArrowRight'); // expand the file's tests
    }
    await failed.waitFor({ timeout: 30_000 });
    await failed.click({ button: 'right' });
    // The menu's items act on Enter once the pointer has focused them (a click can land before it is ready).
    await page.locator('.context-view .action-item', { hasText: /^Fix until green$/ }).hover({ timeout: 20_000 });
    await vscode.screenshot('testing-view');
    await page.keyboard.press('Enter');
    const log = await vscode.showOutput('untilgreen');
    // The editor renders spaces as no-break spaces: \s matches both.
    await log.locator('.view-line', { hasText: /untilgreen\.fix:\s+run\s+\S+\s+started/ }).waitFor({ timeout: 30_000 });
  });
});
