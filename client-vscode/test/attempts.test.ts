import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ATTEMPT_COMMANDS, AttemptsModel, AttemptsTree, attemptLabel, runLabel } from '../src/attempts';
import { diffUri, parseDiffUri } from '../src/diffs';
import { AttemptNote } from '../src/protocol';

function note(attempt: number, outcome: string, extra: Partial<AttemptNote> = {}): AttemptNote {
  return {
    runId: 'run-1',
    attempt,
    of: 4,
    candidate: 0,
    source: 'builtin',
    outcome,
    signature: outcome === 'green' ? '' : 'AssertionError: assert <n> == <n>',
    detail: '',
    diff: `--- a/x.py\n+++ b/x.py\n@@ attempt ${attempt}\n`,
    ...extra,
  };
}

test('attempts arrive in any order and are kept in order, one per attempt and candidate', () => {
  let changes = 0;
  const model = new AttemptsModel(() => changes++);
  model.attempt(note(2, 'green'));
  model.attempt(note(1, 'still-failing'));
  model.attempt(note(1, 'regression', { candidate: 1 }));
  model.attempt(note(1, 'still-failing', { detail: 'again' }));
  const [run] = model.runs;
  assert.deepEqual(run.attempts.map((a) => [a.attempt, a.candidate, a.outcome]), [
    [1, 0, 'still-failing'],
    [1, 1, 'regression'],
    [2, 0, 'green'],
  ]);
  assert.equal(run.attempts[0].detail, 'again');
  assert.equal(run.state, 'running');
  assert.equal(changes, 4);
});

test('run notifications set the state; the newest running run is the one to cancel', () => {
  const model = new AttemptsModel(() => undefined);
  model.run({ runId: 'a', state: 'running', phase: 'reproduce' });
  model.run({ runId: 'b', state: 'running', attempt: 1, of: 4 });
  assert.equal(model.running(), 'b');
  model.run({ runId: 'b', state: 'green', message: 'green after 1 attempt' });
  assert.equal(model.running(), 'a');
  assert.deepEqual(model.runs.map((r) => [r.runId, r.state, r.message]), [
    ['b', 'green', 'green after 1 attempt'],
    ['a', 'running', ''],
  ]);
});

test('only the newest runs are kept', () => {
  const model = new AttemptsModel(() => undefined, 3);
  for (const id of ['r1', 'r2', 'r3', 'r4']) {
    model.run({ runId: id, state: 'failed' });
  }
  assert.deepEqual(model.runs.map((r) => r.runId), ['r4', 'r3', 'r2']);
});

test("showRun's record replaces the attempts and brings the final diff", () => {
  const model = new AttemptsModel(() => undefined);
  model.attempt(note(1, 'still-failing'));
  model.record({
    runId: 'run-1',
    state: 'green',
    attempts: [
      { number: 1, of: 4, candidate: 0, source: 'builtin', outcome: 'still-failing', signature: 's', detail: '', diff: 'd1' },
      { number: 2, of: 4, candidate: 0, source: 'builtin', outcome: 'green', signature: '', detail: '', diff: 'd2' },
    ],
    diff: 'final',
    stopReason: 'green',
  });
  assert.equal(model.diff({ runId: 'run-1' }), 'final');
  assert.equal(model.diff({ runId: 'run-1', attempt: 2, candidate: 0 }), 'd2');
  assert.equal(model.diff({ runId: 'run-1', attempt: 3, candidate: 0 }), undefined);
  assert.equal(model.runs[0].state, 'green');
});

test('labels: attempt number, outcome and signature; candidates only when there are several', () => {
  assert.deepEqual(attemptLabel(note(2, 'still-failing'), false), {
    label: 'Attempt 2 of 4',
    description: 'still-failing · AssertionError: assert <n> == <n>',
  });
  assert.deepEqual(attemptLabel(note(1, 'green', { candidate: 1 }), true), {
    label: 'Attempt 1 of 4 · candidate 2',
    description: 'green',
  });
  const model = new AttemptsModel(() => undefined);
  model.run({ runId: '0123456789abcdef', state: 'running', phase: 'validate' });
  assert.deepEqual(runLabel(model.runs[0]), { label: 'Run 01234567', description: 'running: validate · 0 attempts' });
});

test('the tree: runs, then their attempts, each opening its diff', () => {
  const tree = new AttemptsTree();
  let refreshed = 0;
  tree.onDidChangeTreeData(() => refreshed++);
  tree.model.attempt(note(1, 'still-failing'));
  tree.model.attempt(note(2, 'green'));
  const [runNode] = tree.getChildren();
  const attempts = tree.getChildren(runNode);
  assert.equal(attempts.length, 2);
  const item = tree.getTreeItem(attempts[1]);
  assert.equal(item.label, 'Attempt 2 of 4');
  assert.equal(item.description, 'green');
  assert.equal(item.contextValue, 'attempt');
  assert.equal(item.command?.command, ATTEMPT_COMMANDS.sideBySide);
  assert.deepEqual(item.command?.arguments, [attempts[1]]);
  const uri = diffUri({ runId: 'run-1', attempt: 2, candidate: 0 }); // the unified diff, from the context menu
  assert.equal(uri.toString(), 'untilgreen-diff:/run-1/attempt-2.diff');
  assert.deepEqual(parseDiffUri(uri), { runId: 'run-1', attempt: 2, candidate: 0 });
  assert.equal(tree.model.diff(parseDiffUri(uri)!), note(2, 'green').diff);
  assert.equal(tree.getChildren(attempts[0]).length, 0);
  assert.equal(refreshed, 2);
});

test('diff uris round-trip for final diffs and later candidates', () => {
  for (const key of [{ runId: 'r/1' }, { runId: 'r', attempt: 3, candidate: 2 }]) {
    assert.deepEqual(parseDiffUri(diffUri(key)), key);
  }
});

test('the newest run stopped on its budget or cancelled is the one Continue Run takes on', () => {
  const model = new AttemptsModel(() => undefined);
  model.run({ runId: 'a', state: 'failed', resumable: true });
  model.run({ runId: 'b', state: 'green', resumable: false });
  model.run({ runId: 'c', state: 'running' });
  assert.equal(model.stopped(), 'a');
  model.run({ runId: 'c', state: 'cancelled', resumable: true });
  assert.equal(model.stopped(), 'c');
  model.record({ runId: 'c', state: 'cancelled', attempts: [], diff: '', resumable: false });
  assert.equal(model.stopped(), 'a');
  const tree = new AttemptsTree();
  tree.model.run({ runId: 'a', state: 'failed', resumable: true });
  assert.equal(tree.getTreeItem({ run: tree.model.runs[0] }).contextValue, 'run-failed-resumable');
});
