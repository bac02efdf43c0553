// Diffs of attempts and runs as read-only virtual documents: untilgreen-diff:/<runId>/attempt-2.diff
import * as vscode from 'vscode';

export const DIFF_SCHEME = 'untilgreen-diff';

/** A run's final diff (no attempt) or one candidate's diff (`candidate` counts from 0). */
export interface DiffKey {
  readonly runId: string;
  readonly attempt?: number;
  readonly candidate?: number;
}

export function diffUri(key: DiffKey): vscode.Uri {
  let name = 'final';
  if (key.attempt !== undefined) {
    name = `attempt-${key.attempt}` + (key.candidate ? `-candidate-${key.candidate + 1}` : '');
  }
  return vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${encodeURIComponent(key.runId)}/${name}.diff` });
}

export function parseDiffUri(uri: vscode.Uri): DiffKey | undefined {
  const match = /^\/([^/]+)\/(?:final|attempt-(\d+)(?:-candidate-(\d+))?)\.diff$/.exec(uri.path);
  if (uri.scheme !== DIFF_SCHEME || !match) {
    return undefined;
  }
  const runId = decodeURIComponent(match[1]);
  if (match[2] === undefined) {
    return { runId };
  }
  return { runId, attempt: Number(match[2]), candidate: match[3] ? Number(match[3]) - 1 : 0 };
}

export class DiffDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly lookup: (key: DiffKey) => string | undefined) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const key = parseDiffUri(uri);
    const diff = key && this.lookup(key);
    return diff || '(no diff: this attempt changed nothing, or untilgreen no longer has it)\n';
  }

  /** Tells the open diff documents that their text may have changed. */
  refreshOpen(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === DIFF_SCHEME) {
        this.changed.fire(document.uri);
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
