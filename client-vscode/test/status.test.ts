import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeRun, describeServer, IDLE } from '../src/status';

test('the status follows the run: attempt k of N, green, failed, cancelled', () => {
  assert.equal(describeRun({ runId: 'r', state: 'running', phase: 'reproduce' }).text, 'untilgreen: reproduce');
  const running = describeRun({ runId: 'r', state: 'running', phase: 'validate', attempt: 2, of: 4 });
  assert.equal(running.text, 'untilgreen: attempt 2 of 4');
  assert.equal(running.busy, true);
  assert.equal(describeRun({ runId: 'r', state: 'green' }).text, 'untilgreen: green');
  const failed = describeRun({ runId: 'r', state: 'failed', message: 'out of attempts' });
  assert.deepEqual([failed.text, failed.detail, failed.severity], ['untilgreen: failed', 'out of attempts', 'error']);
  assert.equal(describeRun({ runId: 'r', state: 'cancelled' }).severity, 'warning');
});

test('a server that is not running says so and offers a restart', () => {
  assert.deepEqual(describeServer('running', 'python3 -m untilgreen lsp'), { ...IDLE, detail: 'python3 -m untilgreen lsp' });
  const stopped = describeServer('stopped', 'untilgreen is not installed in python3.');
  assert.equal(stopped.text, 'untilgreen: not running');
  assert.equal(stopped.action, 'restart');
});
