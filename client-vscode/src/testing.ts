// "Fix until green" on a test of the Testing view (the Python extension's Test Explorer, or any other test
// controller's): the item's file and node become the run's one target.
import type * as vscode from 'vscode';
import { FixArguments } from './protocol';

/** What a Testing view item tells: its id, its file or folder, and where its code starts. */
export type TestItemLike = Pick<vscode.TestItem, 'id' | 'uri' | 'range'> & { readonly children: { size: number } };

/** The `untilgreen.fix` argument for a Testing view item, or the sentence saying why it has none.
 *
 * pytest's explorers name a test `<file>::<node>` (the Python extension puts the absolute file path first), so
 * the node is what follows the first `::` and the server joins it to the item's file relative to the project's
 * root. An item without one is a file or folder (all its tests) or, with a range, a test found by its line. */
export function fixArgumentsFor(item: TestItemLike): FixArguments | string {
  if (!item.uri || item.uri.scheme !== 'file') {
    return 'this test has no file in the workspace; use "untilgreen: Fix Failing Tests" instead.';
  }
  const uri = item.uri.toString();
  const at = item.id.indexOf('::');
  if (at >= 0) {
    return { uri, node: item.id.slice(at + 2) };
  }
  if (item.range && item.children.size === 0) {
    return { uri, position: { line: item.range.start.line, character: item.range.start.character } };
  }
  return { uri, node: '' };
}
