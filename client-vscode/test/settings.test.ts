import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explicitSettings, Inspected, serverKeys } from '../src/settings';

test("the server's keys leave out the extension's own", () => {
  const properties = {
    'untilgreen.interpreter': {},
    'untilgreen.trace.server': {},
    'untilgreen.model': {},
    'untilgreen.sandbox.testTimeout': {},
  };
  assert.deepEqual(serverKeys(properties), ['model', 'sandbox.testTimeout']);
});

test('only values set explicitly are sent, nested, folder over workspace over user', () => {
  const inspected: Record<string, Inspected> = {
    model: { globalValue: 'openai/gpt-4o' },
    attempts: { globalValue: 2, workspaceValue: 6 },
    'sandbox.testTimeout': { workspaceValue: 5, workspaceFolderValue: 10 },
    'sandbox.network': { globalValue: false },
    'memory.path': {},
    temperature: {},
  };
  assert.deepEqual(
    explicitSettings(Object.keys(inspected), (key) => inspected[key]),
    { model: 'openai/gpt-4o', attempts: 6, sandbox: { testTimeout: 10, network: false } },
  );
});

test('nothing set: nothing sent, so the project file and user config apply', () => {
  assert.deepEqual(explicitSettings(['model', 'sandbox.timeout'], () => undefined), {});
});
