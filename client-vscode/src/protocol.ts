// The language server's own protocol: its command ids, and the shapes of its notifications and results.

export const SERVER_COMMANDS = {
  fix: 'untilgreen.fix',
  goal: 'untilgreen.goal',
  cancel: 'untilgreen.cancel',
  showRun: 'untilgreen.showRun',
  continueRun: 'untilgreen.continueRun',
  attemptFiles: 'untilgreen.attemptFiles',
  applyAttempt: 'untilgreen.applyAttempt',
} as const;

export const ATTEMPT_NOTIFICATION = 'untilgreen/attempt';
export const RUN_NOTIFICATION = 'untilgreen/run';

export type RunState = 'running' | 'green' | 'failed' | 'cancelled';

/** One judged candidate of one attempt, as notifications and run records describe it. `candidate` counts from 0. */
export interface AttemptFields {
  of: number;
  candidate: number;
  source: string;
  outcome: string;
  signature: string;
  detail: string;
  diff: string;
}

/** `untilgreen/attempt`: one candidate of one attempt has been judged. */
export interface AttemptNote extends AttemptFields {
  runId: string;
  attempt: number;
  ranges?: Record<string, [number, number][]>;
}

/** `untilgreen/run`: the run's state changed or it moved to another phase. */
export interface RunNote {
  runId: string;
  state: RunState;
  phase?: string;
  attempt?: number;
  of?: number;
  message?: string;
  tokens?: number;
  costUsd?: number | null;
  /** Stopped by its budget or cancelled: `untilgreen.continueRun` can take it on. */
  resumable?: boolean;
}

/** The answer of `untilgreen.showRun`. */
export interface RunRecord {
  runId: string;
  state: RunState;
  attempts: (AttemptFields & { number: number })[];
  diff: string;
  stopReason?: string;
  tokens?: number;
  costUsd?: number | null;
  durationS?: number;
  resumable?: boolean;
  /** The run in memory this run continues (`untilgreen.continueRun`), or empty. */
  resumedFrom?: string;
}

/** The argument of `untilgreen.fix`: test ids to fix (none: every failing test), or the cursor in `uri`, whose test
 * the server finds, or a test `node` inside the file or folder `uri` ("": all of its tests). */
export interface FixArguments {
  uri?: string;
  targets?: string[];
  position?: { line: number; character: number };
  node?: string;
}

/** What `untilgreen.fix`, `untilgreen.goal` and `untilgreen.continueRun` answer; no runId (and a reason) when no run started. */
export interface RunStarted {
  runId: string | null;
  error?: string;
}

/** The argument of `untilgreen.attemptFiles` and `untilgreen.applyAttempt`: one judged candidate of a run. */
export interface AttemptArguments {
  runId: string;
  attempt: number;
  candidate: number;
}

/** One file an attempt changed: its text when the run started and with the attempt applied. */
export interface AttemptFile {
  path: string;
  before: string;
  after: string;
}

/** The answer of `untilgreen.attemptFiles` (null, after the server said why, when it cannot tell). */
export interface AttemptFiles {
  files: AttemptFile[];
}
