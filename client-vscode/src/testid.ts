// The pytest node id of the test function around a line of a Python file.

const DEF = /^(\s*)(?:async\s+)?def\s+(\w+)\s*\(/;
const CLASS = /^(\s*)class\s+(\w+)\b/;

function indent(line: string): number {
  return /^\s*/.exec(line)![0].length;
}

/**
 * `tests/test_x.py::TestThing::test_y` for a cursor inside `test_y` (its decorators and body included), or
 * undefined when the line is not inside a test function. `relativePath` is the file's path from the project root.
 */
export function testIdAt(text: string, line: number, relativePath: string): string | undefined {
  const lines = text.split(/\r?\n/);
  // A cursor on a decorator belongs to the definition below it.
  let at = Math.min(line, lines.length - 1);
  while (at < lines.length - 1 && /^\s*@/.test(lines[at])) {
    at++;
  }
  let limit = Infinity; // the enclosing block must be indented less than this
  const owners: { kind: 'def' | 'class'; name: string }[] = [];
  for (let i = at; i >= 0; i--) {
    const source = lines[i];
    if (!source.trim() || source.trimStart().startsWith('#')) {
      continue;
    }
    const width = indent(source);
    if (i !== at && width >= limit) {
      continue;
    }
    const def = DEF.exec(source);
    const cls = CLASS.exec(source);
    if (def || cls) {
      owners.unshift({ kind: def ? 'def' : 'class', name: (def ?? cls)![2] });
    }
    limit = Math.min(limit, width);
    if (width === 0) {
      break;
    }
  }
  const test = owners.findIndex((o) => o.kind === 'def' && o.name.startsWith('test'));
  if (test < 0 || owners.slice(0, test).some((o) => o.kind !== 'class')) {
    return undefined;
  }
  const path = relativePath.split('\\').join('/');
  return [path, ...owners.slice(0, test + 1).map((o) => o.name)].join('::');
}
