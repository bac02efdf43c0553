import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Uri } from 'vscode';
import { fixArgumentsFor, TestItemLike } from '../src/testing';

function item(id: string, extra: Partial<TestItemLike> = {}): TestItemLike {
  const file = Uri.from({ scheme: 'file', path: '/work/shop/tests/test_cart.py' }) as unknown as TestItemLike['uri'];
  return { id, uri: file, range: undefined, children: { size: 0 }, ...extra };
}

const at = (line: number) => ({ start: { line, character: 4 } }) as unknown as TestItemLike['range'];

test("a pytest item's node follows the first :: of its id (the Python extension's ids start with the path)", () => {
  assert.deepEqual(fixArgumentsFor(item('/work/shop/tests/test_cart.py::TestCart::test_total[1]', { range: at(9) })), {
    uri: 'file:/work/shop/tests/test_cart.py',
    node: 'TestCart::test_total[1]',
  });
  assert.deepEqual(fixArgumentsFor(item('tests/test_cart.py::test_discount')), {
    uri: 'file:/work/shop/tests/test_cart.py',
    node: 'test_discount',
  });
});

test('a file or folder item is all of its tests; an item known by its line is the test found there', () => {
  assert.deepEqual(fixArgumentsFor(item('/work/shop/tests/test_cart.py', { children: { size: 3 } })), {
    uri: 'file:/work/shop/tests/test_cart.py',
    node: '',
  });
  assert.deepEqual(fixArgumentsFor(item('tests.test_cart.CartTest.test_total', { range: at(12) })), {
    uri: 'file:/work/shop/tests/test_cart.py',
    position: { line: 12, character: 4 },
  });
});

test('an item without a file says what to do instead', () => {
  assert.match(String(fixArgumentsFor(item('suite', { uri: undefined }))), /Fix Failing Tests/);
});
