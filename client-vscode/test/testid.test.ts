import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testIdAt } from '../src/testid';

const source = [
  'import pytest', //                              0
  '',
  'def helper():', //                              2
  '    return 1',
  '',
  '@pytest.mark.parametrize("n", [1, 2])', //      5
  'def test_one(n):', //                           6
  '    def inner():', //                           7
  '        return n',
  '    assert inner() == n', //                    9
  '',
  'class TestStock:', //                           11
  '    level = 3',
  '',
  '    async def test_reorder(self):', //          14
  '        assert self.level', //                  15
].join('\n');

test('the test around the cursor, its decorator and nested functions included', () => {
  assert.equal(testIdAt(source, 6, 'tests/test_stock.py'), 'tests/test_stock.py::test_one');
  assert.equal(testIdAt(source, 5, 'tests/test_stock.py'), 'tests/test_stock.py::test_one');
  assert.equal(testIdAt(source, 8, 'tests/test_stock.py'), 'tests/test_stock.py::test_one');
  assert.equal(testIdAt(source, 9, 'tests/test_stock.py'), 'tests/test_stock.py::test_one');
});

test('methods of test classes get the class in their id', () => {
  assert.equal(testIdAt(source, 15, 'tests/test_stock.py'), 'tests/test_stock.py::TestStock::test_reorder');
  assert.equal(testIdAt(source, 14, 'tests\\test_stock.py'), 'tests/test_stock.py::TestStock::test_reorder');
});

test('outside a test: no id', () => {
  assert.equal(testIdAt(source, 0, 't.py'), undefined);
  assert.equal(testIdAt(source, 3, 't.py'), undefined);
  assert.equal(testIdAt(source, 12, 't.py'), undefined, 'a class attribute is not a test');
});
