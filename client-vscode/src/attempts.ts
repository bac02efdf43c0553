// The Attempts view: a model of recent runs fed by the server's notifications, and its tree.
import * as vscode from 'vscode';
import { DiffKey, diffUri } from './diffs';
import { AttemptNote, RunNote, RunRecord, RunState } from './protocol';

export interface RunEntry {
  readonly runId: string;
  state: RunState;
  phase: string;
  message: string;
  tokens?: number;
  costUsd?: number | null;
  attempts: AttemptNote[];
  diff: string;
  /** Stopped by its budget or cancelled: Continue Run can take it on. */
  resumable?: boolean;
}

/** Recent runs, newest first, each with its attempts in order. Calls `changed` after every update. */
export class AttemptsModel {
  private readonly entries: RunEntry[] = [];

  constructor(
    private readonly changed: () => void,
    private readonly keep = 10,
  ) {}

  get runs(): readonly RunEntry[] {
    return this.entries;
  }

  run(note: RunNote): void {
    const entry = this.entry(note.runId);
    entry.state = note.state;
    entry.phase = note.phase ?? entry.phase;
    entry.message = note.message ?? entry.message;
    entry.tokens = note.tokens ?? entry.tokens;
    entry.costUsd = note.costUsd === undefined ? entry.costUsd : note.costUsd;
    entry.resumable = note.resumable ?? entry.resumable;
    this.changed();
  }

  attempt(note: AttemptNote): void {
    const entry = this.entry(note.runId);
    const at = entry.attempts.findIndex((a) => a.attempt === note.attempt && a.candidate === note.candidate);
    if (at >= 0) {
      entry.attempts[at] = note;
    } else {
      entry.attempts.push(note);
      entry.attempts.sort((a, b) => a.attempt - b.attempt || a.candidate - b.candidate);
    }
    this.changed();
  }

  /** Everything the server remembers about a run (`untilgreen.showRun`), replacing what the notifications said. */
  record(record: RunRecord): void {
    const entry = this.entry(record.runId);
    entry.state = record.state;
    entry.diff = record.diff;
    entry.tokens = record.tokens ?? entry.tokens;
    entry.costUsd = record.costUsd === undefined ? entry.costUsd : record.costUsd;
    if (record.stopReason) {
      entry.message = record.stopReason;
    }
    entry.resumable = record.resumable ?? entry.resumable;
    entry.attempts = record.attempts.map(({ number, ...rest }) => ({ runId: record.runId, attempt: number, ...rest }));
    this.changed();
  }

  /** The newest run still under way. */
  running(): string | undefined {
    return this.entries.find((entry) => entry.state === 'running')?.runId;
  }

  /** The newest run that stopped on its budget or was cancelled, which Continue Run takes on. */
  stopped(): string | undefined {
    return this.entries.find((entry) => entry.state !== 'running' && entry.resumable)?.runId;
  }

  diff(key: DiffKey): string | undefined {
    const entry = this.entries.find((e) => e.runId === key.runId);
    if (key.attempt === undefined) {
      return entry?.diff;
    }
    return entry?.attempts.find((a) => a.attempt === key.attempt && a.candidate === (key.candidate ?? 0))?.diff;
  }

  private entry(runId: string): RunEntry {
    let entry = this.entries.find((e) => e.runId === runId);
    if (!entry) {
      entry = { runId, state: 'running', phase: '', message: '', attempts: [], diff: '' };
      this.entries.unshift(entry);
      this.entries.splice(this.keep);
    }
    return entry;
  }
}

export type Node = { readonly run: RunEntry; readonly attempt?: AttemptNote };

/** What an attempt item of the tree offers (its context menu and its click). */
export const ATTEMPT_COMMANDS = {
  sideBySide: 'untilgreen.openAttemptSideBySide',
  unified: 'untilgreen.openAttemptDiff',
  apply: 'untilgreen.applyThisAttempt',
} as const;

export function runLabel(run: RunEntry): { label: string; description: string } {
  const tried = run.attempts.length === 1 ? '1 attempt' : `${run.attempts.length} attempts`;
  const state = run.state === 'running' && run.phase ? `running: ${run.phase}` : run.state;
  return { label: `Run ${run.runId.slice(0, 8)}`, description: `${state} · ${tried}` };
}

export function attemptLabel(attempt: AttemptNote, severalCandidates: boolean): { label: string; description: string } {
  const candidate = severalCandidates ? ` · candidate ${attempt.candidate + 1}` : '';
  return {
    label: `Attempt ${attempt.attempt} of ${attempt.of}${candidate}`,
    description: attempt.signature ? `${attempt.outcome} · ${attempt.signature}` : attempt.outcome,
  };
}

const OUTCOME_ICONS: Record<string, [string, string]> = {
  green: ['pass', 'testing.iconPassed'],
  duplicate: ['circle-slash', 'disabledForeground'],
};

const STATE_ICONS: Record<RunState, [string, string]> = {
  running: ['sync~spin', 'foreground'],
  green: ['pass-filled', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash', 'disabledForeground'],
};

function icon([id, color]: [string, string]): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, new vscode.ThemeColor(color));
}

export class AttemptsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly model: AttemptsModel;

  constructor() {
    this.model = new AttemptsModel(() => this.changed.fire(undefined));
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      return this.model.runs.map((run) => ({ run }));
    }
    return node.attempt ? [] : node.run.attempts.map((attempt) => ({ run: node.run, attempt }));
  }

  getTreeItem({ run, attempt }: Node): vscode.TreeItem {
    if (!attempt) {
      const { label, description } = runLabel(run);
      const first = this.model.runs[0] === run;
      const item = new vscode.TreeItem(
        label,
        first ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
      );
      item.id = run.runId;
      item.description = description;
      item.tooltip = [run.message, run.tokens ? `${run.tokens} tokens` : '', run.costUsd ? `$${run.costUsd.toFixed(4)}` : '']
        .filter(Boolean)
        .join('\n');
      item.iconPath = icon(STATE_ICONS[run.state]);
      item.contextValue = run.resumable ? `run-${run.state}-resumable` : `run-${run.state}`;
      if (run.diff) {
        item.command = { title: 'Open Diff', command: 'vscode.open', arguments: [diffUri({ runId: run.runId })] };
      }
      return item;
    }
    const severalCandidates = run.attempts.some((a) => a.candidate > 0);
    const { label, description } = attemptLabel(attempt, severalCandidates);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `${run.runId}/${attempt.attempt}.${attempt.candidate}`;
    item.description = description;
    item.tooltip = new vscode.MarkdownString().appendText(
      [`${attempt.outcome} (${attempt.source})`, attempt.signature, attempt.detail].filter(Boolean).join('\n\n'),
    );
    item.iconPath = icon(OUTCOME_ICONS[attempt.outcome] ?? ['error', 'testing.iconFailed']);
    item.contextValue = 'attempt';
    item.command = { title: 'Open Diff Side by Side', command: ATTEMPT_COMMANDS.sideBySide, arguments: [{ run, attempt }] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
