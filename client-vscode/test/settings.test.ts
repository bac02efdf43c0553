import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explicitSettings, Inspected, restartsServer, serverKeys } from '../src/settings';

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

test('only the interpreter restarts the server; other settings go to the running one', () => {
  const changed = (...sections: string[]) => (section: string) =>
    sections.some((name) => name === section || name.startsWith(section + '.'));
  assert.equal(restartsServer(changed('untilgreen', 'untilgreen.interpreter')), true);
  assert.equal(restartsServer(changed('untilgreen', 'untilgreen.maxTokens')), false);
  assert.equal(restartsServer(changed('untilgreen', 'untilgreen.sandbox', 'untilgreen.sandbox.timeout')), false);
  assert.equal(restartsServer(changed('editor', 'editor.fontSize')), false);
});
