// An attempt's files side by side in the diff editor: before (as the run started) and after (with the attempt
// applied) as read-only virtual documents, untilgreen-attempt:/<runId>/attempt-2.0/before/<path>.
import * as vscode from 'vscode';
import { AttemptFile } from './protocol';

export const SIDE_SCHEME = 'untilgreen-attempt';

/** One judged candidate of a run (`candidate` counts from 0). */
export interface AttemptKey {
  readonly runId: string;
  readonly attempt: number;
  readonly candidate: number;
}

/** "Attempt 2 of 4: still-failing" (with the candidate when there are several). */
export function attemptTitle(
  attempt: { attempt: number; of: number; candidate: number; outcome: string },
  severalCandidates = false,
): string {
  const candidate = severalCandidates ? ` (candidate ${attempt.candidate + 1})` : '';
  return `Attempt ${attempt.attempt} of ${attempt.of || '?'}${candidate}: ${attempt.outcome}`;
}

export function sideUri(key: AttemptKey, side: 'before' | 'after', path: string): vscode.Uri {
  const file = path.split('/').map(encodeURIComponent).join('/');
  return vscode.Uri.from({
    scheme: SIDE_SCHEME,
    path: `/${encodeURIComponent(key.runId)}/attempt-${key.attempt}.${key.candidate}/${side}/${file}`,
  });
}

/** What opens the diff editor: `vscode.diff` for one file, the multi-file `vscode.changes` for several; with
 * the texts the virtual documents must hold first. */
export interface SideBySide {
  readonly command: 'vscode.diff' | 'vscode.changes';
  readonly args: unknown[];
  readonly texts: [vscode.Uri, string][];
}

export function sideBySide(
  key: AttemptKey,
  title: string,
  files: readonly AttemptFile[],
  resource: (path: string) => vscode.Uri,
): SideBySide | undefined {
  const texts: [vscode.Uri, string][] = [];
  const pairs = files.map((file) => {
    const before = sideUri(key, 'before', file.path);
    const after = sideUri(key, 'after', file.path);
    texts.push([before, file.before], [after, file.after]);
    return { path: file.path, before, after };
  });
  if (pairs.length === 0) {
    return undefined;
  }
  if (pairs.length === 1) {
    return { command: 'vscode.diff', args: [pairs[0].before, pairs[0].after, title], texts };
  }
  const changes = pairs.map((pair) => [resource(pair.path), pair.before, pair.after]);
  return { command: 'vscode.changes', args: [title, changes], texts };
}

/** The texts of the side-by-side documents, as the server gave them. */
export class SideDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}
