// The palette commands. Their ids differ from the server's (untilgreen.fix, ...), which the language client
// registers for the server's code actions.
import * as vscode from 'vscode';
import { ATTEMPT_COMMANDS, AttemptsModel, Node } from './attempts';
import { diffUri } from './diffs';
import { Log } from './logger';
import { AttemptArguments, AttemptFiles, FixArguments, RunRecord, RunStarted, SERVER_COMMANDS } from './protocol';
import { Server } from './server';
import { attemptTitle, SideDocuments, sideBySide } from './sidebyside';
import { fixArgumentsFor } from './testing';

const COMMANDS = {
  fixFailingTests: 'untilgreen.fixFailingTests',
  fixThisTest: 'untilgreen.fixThisTest',
  implementGoal: 'untilgreen.implementGoal',
  cancelRun: 'untilgreen.cancelRun',
  continueRun: 'untilgreen.continueStoppedRun',
  showAttempts: 'untilgreen.showAttempts',
  fixTestItem: 'untilgreen.fixTestItem',
  restartServer: 'untilgreen.restartServer',
} as const;

const ATTEMPTS_VIEW = 'untilgreen.attempts';

export function registerCommands(
  server: Server,
  model: AttemptsModel,
  log: Log,
  sides: SideDocuments,
): vscode.Disposable[] {
  async function run(command: string, args: unknown[]): Promise<void> {
    const started = await server.execute<RunStarted>(command, args);
    if (started?.runId) {
      log.info(`${command}: run ${started.runId} started`);
    } else {
      log.warn(`${command}: no run started: ${started?.error ?? 'no answer'}`); // the server has said why
    }
  }

  /** Runs a command's body, turning its failure into one error message. */
  function guarded(id: string, body: (...args: unknown[]) => Promise<void>): vscode.Disposable {
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await body(...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.error(`${id}: ${message}`);
        void vscode.window.showErrorMessage(`untilgreen: ${message}`);
      }
    });
  }

  return [
    guarded(COMMANDS.fixFailingTests, async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const args: FixArguments = { ...(folder && { uri: folder.uri.toString() }), targets: [] };
      await run(SERVER_COMMANDS.fix, [args]);
    }),

    guarded(COMMANDS.fixThisTest, async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showWarningMessage('untilgreen: put the cursor inside a test function first.');
        return;
      }
      // The server finds the test around the cursor (and says so when there is none).
      const { line, character } = editor.selection.active;
      const args: FixArguments = { uri: editor.document.uri.toString(), position: { line, character } };
      await run(SERVER_COMMANDS.fix, [args]);
    }),

    guarded(COMMANDS.implementGoal, async () => {
      const goal = await vscode.window.showInputBox({
        title: 'untilgreen: Implement Goal',
        prompt: 'Describe what the code should do.',
        placeHolder: 'e.g. parse_duration accepts "1h30m"',
        ignoreFocusOut: true,
      });
      if (!goal?.trim()) {
        return;
      }
      const uri = vscode.window.activeTextEditor?.document.uri;
      await run(SERVER_COMMANDS.goal, [{ goal: goal.trim(), ...(uri && { uri: uri.toString() }) }]);
    }),

    guarded(COMMANDS.cancelRun, async () => {
      const runId = model.running();
      const answer = await server.execute<{ cancelled: boolean }>(SERVER_COMMANDS.cancel, runId ? [{ runId }] : []);
      if (!answer?.cancelled) {
        void vscode.window.showInformationMessage('untilgreen: no run to cancel.');
      }
    }),

    // From the palette: the newest stopped run; from a run in the Attempts view: that run.
    guarded(COMMANDS.continueRun, async (node?: unknown) => {
      const runId = continuedRun(node) ?? model.stopped();
      if (!runId) {
        void vscode.window.showInformationMessage(
          'untilgreen: no run stopped on its budget or was cancelled; run Fix Failing Tests first.',
        );
        return;
      }
      await run(SERVER_COMMANDS.continueRun, [{ runId }]);
    }),

    guarded(COMMANDS.showAttempts, async () => {
      await vscode.commands.executeCommand(`${ATTEMPTS_VIEW}.focus`);
      const latest = model.runs[0];
      if (latest) {
        model.record(await server.execute<RunRecord>(SERVER_COMMANDS.showRun, [{ runId: latest.runId }]));
      }
    }),

    guarded(COMMANDS.restartServer, () => server.restart()),

    // An attempt of the Attempts view: its files side by side (its click), its unified diff, or applying it.
    guarded(ATTEMPT_COMMANDS.sideBySide, async (node?: unknown) => {
      const key = attemptOf(node);
      if (!key) {
        return;
      }
      const answer = await server.execute<AttemptFiles | null>(SERVER_COMMANDS.attemptFiles, [key.args]);
      if (!answer) {
        return; // the server has said why
      }
      const severalCandidates = key.node.run.attempts.some((a) => a.candidate > 0);
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const shown = sideBySide(key.args, attemptTitle(key.node.attempt, severalCandidates), answer.files, (path) =>
        folder ? vscode.Uri.joinPath(folder, path) : vscode.Uri.file(path),
      );
      if (!shown) {
        void vscode.window.showInformationMessage('untilgreen: this attempt changed nothing.');
        return;
      }
      for (const [uri, text] of shown.texts) {
        sides.set(uri, text);
      }
      await vscode.commands.executeCommand(shown.command, ...shown.args);
    }),

    guarded(ATTEMPT_COMMANDS.unified, async (node?: unknown) => {
      const key = attemptOf(node);
      if (key) {
        await vscode.commands.executeCommand('vscode.open', diffUri(key.args));
      }
    }),

    guarded(ATTEMPT_COMMANDS.apply, async (node?: unknown) => {
      const key = attemptOf(node);
      if (key) {
        await server.execute<{ applied: boolean }>(SERVER_COMMANDS.applyAttempt, [key.args]); // confirmed there
      }
    }),

    // From the Testing view's context menu, which passes the item.
    vscode.commands.registerCommand(COMMANDS.fixTestItem, async (item?: vscode.TestItem) => {
      const args = item ? fixArgumentsFor(item) : 'choose a test in the Testing view first.';
      if (typeof args === 'string') {
        void vscode.window.showWarningMessage(`untilgreen: ${args}`);
        return;
      }
      await run(SERVER_COMMANDS.fix, [args]);
    }),
  ];
}

/** The run of an Attempts view node a command was invoked on, if any. */
export function continuedRun(node: unknown): string | undefined {
  const run = (node as { run?: { runId?: unknown } } | undefined)?.run;
  return typeof run?.runId === 'string' ? run.runId : undefined;
}

/** The attempt of an Attempts view node a command was invoked on, as the server's commands name it. */
export function attemptOf(
  node: unknown,
): { node: Required<Node>; args: AttemptArguments } | undefined {
  const { run, attempt } = (node ?? {}) as Partial<Node>;
  if (!run || !attempt) {
    return undefined;
  }
  return {
    node: { run, attempt },
    args: { runId: run.runId, attempt: attempt.attempt, candidate: attempt.candidate },
  };
}
