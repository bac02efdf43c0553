import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as vscode from 'vscode';
import { attemptTitle, SideDocuments, sideBySide, sideUri } from '../src/sidebyside';

const key = { runId: 'run-1', attempt: 2, candidate: 0 };
const resource = (path: string) => vscode.Uri.from({ scheme: 'file', path: `/project/${path}` });

test('the diff editor title names the attempt, its budget, its outcome and, when there are several, the candidate', () => {
  const attempt = { attempt: 2, of: 4, candidate: 1, outcome: 'still-failing' };
  assert.equal(attemptTitle(attempt), 'Attempt 2 of 4: still-failing');
  assert.equal(attemptTitle(attempt, true), 'Attempt 2 of 4 (candidate 2): still-failing');
  assert.equal(attemptTitle({ ...attempt, of: 0 }), 'Attempt 2 of ?: still-failing');
});

test('one file opens the two-sided diff editor, its before and after documents holding the server texts', () => {
  const shown = sideBySide(key, 'Attempt 2 of 4: green', [{ path: 'pkg/a b.py', before: 'x = 1\n', after: 'x = 2\n' }], resource);
  assert.ok(shown);
  assert.equal(shown.command, 'vscode.diff');
  const [before, after, title] = shown.args as [vscode.Uri, vscode.Uri, string];
  assert.equal(before.toString(), 'untilgreen-attempt:/run-1/attempt-2.0/before/pkg/a%20b.py');
  assert.equal(after.toString(), sideUri(key, 'after', 'pkg/a b.py').toString());
  assert.equal(title, 'Attempt 2 of 4: green');
  const documents = new SideDocuments();
  for (const [uri, text] of shown.texts) {
    documents.set(uri, text);
  }
  assert.equal(documents.provideTextDocumentContent(before), 'x = 1\n');
  assert.equal(documents.provideTextDocumentContent(after), 'x = 2\n');
});

test('several files open the multi-file diff editor, one [resource, before, after] per file; none opens nothing', () => {
  const files = [
    { path: 'a.py', before: '', after: 'a\n' },
    { path: 'b.py', before: 'b\n', after: 'B\n' },
  ];
  const shown = sideBySide({ ...key, candidate: 1 }, 'T', files, resource);
  assert.equal(shown?.command, 'vscode.changes');
  const [title, changes] = shown!.args as [string, vscode.Uri[][]];
  assert.equal(title, 'T');
  assert.deepEqual(
    changes.map((uris) => uris.map(String)),
    ['a.py', 'b.py'].map((path) => [
      `file:/project/${path}`,
      `untilgreen-attempt:/run-1/attempt-2.1/before/${path}`,
      `untilgreen-attempt:/run-1/attempt-2.1/after/${path}`,
    ]),
  );
  assert.equal(shown!.texts.length, 4);
  assert.equal(sideBySide(key, 'T', [], resource), undefined);
});
