// The language status item: idle, running attempt k of N, green, failed, or the server not running.
import * as vscode from 'vscode';
import { RunNote } from './protocol';
import { ServerState } from './server';

export type Severity = 'information' | 'warning' | 'error';

export interface StatusView {
  readonly text: string;
  readonly detail: string;
  readonly severity: Severity;
  readonly busy: boolean;
  /** What clicking the item does. */
  readonly action: 'attempts' | 'restart';
}

export const IDLE: StatusView = { text: 'untilgreen: idle', detail: 'no run under way', severity: 'information', busy: false, action: 'attempts' };

export function describeRun(run: RunNote): StatusView {
  const detail = run.message ?? '';
  switch (run.state) {
    case 'running': {
      const step = run.attempt ? `attempt ${run.attempt} of ${run.of}` : run.phase || 'running';
      return { text: `untilgreen: ${step}`, detail: detail || run.phase || '', severity: 'information', busy: true, action: 'attempts' };
    }
    case 'green':
      return { text: 'untilgreen: green', detail: detail || 'the tests pass', severity: 'information', busy: false, action: 'attempts' };
    case 'failed':
      return { text: 'untilgreen: failed', detail, severity: 'error', busy: false, action: 'attempts' };
    case 'cancelled':
      return { text: 'untilgreen: cancelled', detail, severity: 'warning', busy: false, action: 'attempts' };
  }
}

export function describeServer(state: ServerState, detail: string): StatusView {
  switch (state) {
    case 'starting':
      return { text: 'untilgreen: starting', detail, severity: 'information', busy: true, action: 'attempts' };
    case 'running':
      return { ...IDLE, detail };
    case 'stopped':
      return { text: 'untilgreen: not running', detail, severity: 'error', busy: false, action: 'restart' };
  }
}

const SEVERITY: Record<Severity, vscode.LanguageStatusSeverity> = {
  information: vscode.LanguageStatusSeverity.Information,
  warning: vscode.LanguageStatusSeverity.Warning,
  error: vscode.LanguageStatusSeverity.Error,
};

export class Status implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('untilgreen.status', { language: 'python' });

  constructor() {
    this.item.name = 'untilgreen';
    this.show(IDLE);
  }

  show(view: StatusView): void {
    this.item.text = view.text;
    this.item.detail = view.detail;
    this.item.severity = SEVERITY[view.severity];
    this.item.busy = view.busy;
    this.item.command =
      view.action === 'restart'
        ? { title: 'Restart', command: 'untilgreen.restartServer' }
        : { title: 'Attempts', command: 'untilgreen.showAttempts' };
  }

  dispose(): void {
    this.item.dispose();
  }
}
