// Wires the extension together; every concern lives in its own module.
import * as vscode from 'vscode';
import { AttemptsTree } from './attempts';
import { registerCommands } from './commands';
import { DIFF_SCHEME, DiffDocuments } from './diffs';
import { createLog } from './logger';
import { RunRecord, SERVER_COMMANDS } from './protocol';
import { onDidChangeActiveEnvironment } from './python';
import { Server } from './server';
import { SIDE_SCHEME, SideDocuments } from './sidebyside';
import { restartsServer, SECTION } from './settings';
import { describeRun, describeServer, Status } from './status';

let server: Server | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = createLog();
  const tree = new AttemptsTree();
  const diffs = new DiffDocuments((key) => tree.model.diff(key));
  const sides = new SideDocuments();
  const status = new Status();

  const running = new Server(context, log, {
    onAttempt: (note) => tree.model.attempt(note),
    onRun: (note) => {
      tree.model.run(note);
      status.show(describeRun(note));
      if (note.state !== 'running') {
        // The finished run's full record carries its final diff.
        running
          .execute<RunRecord>(SERVER_COMMANDS.showRun, [{ runId: note.runId }])
          .then((record) => tree.model.record(record), (error) => log.warn(`showRun: ${String(error)}`));
      }
    },
    onState: (state, detail) => status.show(describeServer(state, detail)),
  });
  server = running;

  context.subscriptions.push(
    log,
    tree,
    diffs,
    status,
    running,
    tree.onDidChangeTreeData(() => diffs.refreshOpen()),
    vscode.window.createTreeView('untilgreen.attempts', { treeDataProvider: tree }),
    vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, diffs),
    vscode.workspace.registerTextDocumentContentProvider(SIDE_SCHEME, sides),
    ...registerCommands(running, tree.model, log, sides),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (restartsServer((section) => event.affectsConfiguration(section))) {
        log.info('the interpreter setting changed: restarting the server');
        void running.restart();
      } else if (event.affectsConfiguration(SECTION)) {
        log.info('settings changed: sent to the server (a run in progress goes on)');
        void running.settingsChanged();
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void running.restart()),
  );
  const environment = await onDidChangeActiveEnvironment(() => {
    if (!vscode.workspace.getConfiguration(SECTION).get<string>('interpreter', '').trim()) {
      log.info('the Python extension changed the active environment: restarting the server');
      void running.restart();
    }
  });
  if (environment) {
    context.subscriptions.push(environment);
  }
  void running.restart();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
}
