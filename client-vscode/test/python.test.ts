import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyProbe, resolveInterpreter, substitute } from '../src/python';

const vars = { workspaceFolder: '/home/ann/project', userHome: '/home/ann' };

test('the setting wins over the Python extension and the default', () => {
  assert.deepEqual(resolveInterpreter('/opt/py/bin/python', '/env/bin/python', vars), {
    path: '/opt/py/bin/python',
    source: 'setting',
  });
});

test("the Python extension's environment comes next, then python3 (python on Windows)", () => {
  assert.deepEqual(resolveInterpreter('  ', '/env/bin/python', vars), { path: '/env/bin/python', source: 'Python extension' });
  assert.deepEqual(resolveInterpreter('', undefined, vars, 'linux'), { path: 'python3', source: 'default' });
  assert.deepEqual(resolveInterpreter('', undefined, vars, 'win32'), { path: 'python', source: 'default' });
});

test('variables and relative paths in the setting are expanded', () => {
  assert.equal(substitute('${workspaceFolder}/.venv/bin/python', vars), '/home/ann/project/.venv/bin/python');
  assert.equal(substitute('.venv/bin/python', vars), '/home/ann/project/.venv/bin/python');
  assert.equal(substitute('~/py/bin/python', vars), '/home/ann/py/bin/python');
  assert.equal(substitute('${userHome}/py/bin/python', vars), '/home/ann/py/bin/python');
  assert.equal(substitute('python3.12', vars), 'python3.12', 'a bare name is looked up on PATH');
  assert.equal(substitute('.venv/bin/python', { userHome: '/home/ann' }), '.venv/bin/python', 'no folder: left alone');
});

test('the probe tells a missing interpreter from a missing package from a broken one', () => {
  assert.deepEqual(classifyProbe('ENOENT', null, ''), { kind: 'no-interpreter' });
  assert.deepEqual(classifyProbe(undefined, 0, ''), { kind: 'ready' });
  assert.deepEqual(classifyProbe(undefined, 3, ''), { kind: 'no-untilgreen' });
  assert.deepEqual(classifyProbe(undefined, 1, 'Traceback ...\nSyntaxError: bad\n'), { kind: 'broken', detail: 'SyntaxError: bad' });
  assert.deepEqual(classifyProbe(undefined, 9, ''), { kind: 'broken', detail: 'exit code 9' });
});
