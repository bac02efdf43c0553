// The one output channel: the extension's own messages and the server's log and trace go there.
import * as vscode from 'vscode';

export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
  return vscode.window.createOutputChannel('untilgreen', { log: true });
}

/** An error message with a button that opens the log, plus any other actions; resolves to the action chosen. */
export async function showError(log: Log, message: string, ...actions: string[]): Promise<string | undefined> {
  log.error(message);
  const choice = await vscode.window.showErrorMessage(message, ...actions, 'Show Log');
  if (choice === 'Show Log') {
    log.show();
    return undefined;
  }
  return choice;
}
