"""Draw where each bug of the real-code corpus goes, so the places are not chosen to suit our tools.

    python benchmarks/realbugs/draw.py [--seed 1616] [--candidates 3] [--exhausted SLOT:PACKAGE ...]

The plan is a fixed list of bug classes (PLAN). The slots are shuffled with the seed and dealt to the packages in
turn. Each package's pristine suite runs once in the sandbox with coverage; the functions and methods with at
least one line executed by a test, outside the tests, whose code can host the slot's class (a `while` loop for
`infinite-loop`, an `if` for `missing-condition`, ...) are shuffled with the seed, and the first `--candidates`
of them are printed per slot (a prefix of one seeded permutation, so it does
not depend on `--candidates`). A bug is written in the first candidate where the smallest realistic bug of its
class makes a test fail; a package with no eligible function passes the slot to the next package, and so does one
named by `--exhausted SLOT:PACKAGE` (none of its printed candidates made a test fail). The descriptor's `draw` key
records the slot and the candidate used.
"""

from __future__ import annotations

import argparse
import ast
import random
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from descriptors import pristine_copy, test_paths  # noqa: E402

from untilgreen.context.paths import is_test_path
from untilgreen.sandbox import RunnerConfig, Workspace, run_tests

PACKAGES = (
    "cachetools",
    "click",
    "idna",
    "itsdangerous",
    "jinja2",
    "markupsafe",
    "more-itertools",
    "pluggy",
    "six",
    "toolz",
)
PLAN = (
    *(
        "comparison-operator",
        "arithmetic-operator",
        "off-by-one",
        "wrong-constant",
        "boolean-operator",
        "swapped-arguments",
        "missing-call",
        "wrong-method",
        "infinite-loop",
        "multi-line",
    )
    * 3,
    *("wrong-name",) * 4,  # a wrong variable in a call's arguments
    *("missing-condition", "missing-line") * 5,
)


def _has(*kinds: type) -> Callable[[ast.AST], bool]:
    return lambda fn: any(isinstance(n, kinds) for n in ast.walk(fn))


def _statements(fn: ast.AST) -> int:
    return sum(isinstance(n, ast.stmt) for n in ast.walk(fn)) - 1


ELIGIBLE: dict[str, Callable[[ast.AST], bool]] = {
    "comparison-operator": _has(ast.Compare),
    "arithmetic-operator": lambda fn: any(
        isinstance(n, (ast.BinOp, ast.AugAssign)) and not isinstance(n.op, (ast.Mod, ast.BitOr))
        for n in ast.walk(fn)
    ),  # `%` and `|` are mostly formatting and sets
    "off-by-one": lambda fn: any(isinstance(n, ast.Constant) and type(n.value) is int for n in ast.walk(fn))
    or _has(ast.Subscript)(fn),
    "wrong-constant": lambda fn: any(
        isinstance(n, ast.Constant) and n.value is not None for n in ast.walk(fn)
    ),
    "boolean-operator": _has(ast.BoolOp),
    "swapped-arguments": lambda fn: any(isinstance(n, ast.Call) and len(n.args) >= 2 for n in ast.walk(fn)),
    "missing-call": _has(ast.Call),
    "wrong-method": lambda fn: any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) for n in ast.walk(fn)
    ),
    "infinite-loop": _has(ast.While),
    "multi-line": lambda fn: _statements(fn) >= 3,
    "wrong-name": lambda fn: any(
        isinstance(n, ast.Call) and any(isinstance(a, ast.Name) for a in n.args) for n in ast.walk(fn)
    ),
    "missing-condition": _has(ast.If, ast.IfExp),
    "missing-line": lambda fn: _statements(fn) >= 2,
}


def functions(root: Path, file: str) -> list[tuple[str, ast.AST, range]]:
    """(qualified name, node, body lines) of every function and method of a file."""
    tree = ast.parse((root / file).read_text(encoding="utf-8"))
    found = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append((prefix + child.name, child, range(child.body[0].lineno, child.end_lineno + 1)))
                visit(child, prefix + child.name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")

    visit(tree, "")
    return found


def executed_functions(package: str) -> list[tuple[str, str, ast.AST]]:
    """(file, qualified name, node) of the package's functions that its test suite executes, sorted."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / package
        prepared = pristine_copy(package, root)
        with Workspace.create(root) as workspace:
            report = run_tests(
                workspace,
                test_paths(prepared),
                coverage=True,
                config=RunnerConfig(python=str(prepared.python)),
            )
        executed: dict[str, set[int]] = defaultdict(set)
        for files in (report.coverage or {}).values():
            for file, lines in files.items():
                if not is_test_path(file) and file.endswith(".py"):
                    executed[file].update(lines)
        return sorted(
            (file, name, node)
            for file in executed
            for name, node, body in functions(root, file)
            if executed[file].intersection(body)
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1616)
    parser.add_argument("--candidates", type=int, default=3, help="candidates printed per slot")
    parser.add_argument(
        "--exhausted",
        nargs="+",
        default=(),
        metavar="SLOT:PACKAGE",
        help="pass the slot on from this package: none of its candidates made a test fail",
    )
    args = parser.parse_args()
    exhausted = {tuple(item.split(":")) for item in args.exhausted}
    rng = random.Random(args.seed)
    slots = list(PLAN)
    rng.shuffle(slots)
    executed = {package: executed_functions(package) for package in PACKAGES}
    for number, bug_class in enumerate(slots, 1):
        for turn in range(len(PACKAGES)):
            package = PACKAGES[(number - 1 + turn) % len(PACKAGES)]
            eligible = [(f, n) for f, n, node in executed[package] if ELIGIBLE[bug_class](node)]
            if eligible and (str(number), package) not in exhausted:
                break
        drawn = random.Random(f"{args.seed}-{number}").sample(eligible, len(eligible))[: args.candidates]
        print(f"slot {number:>2} {bug_class:<20} {package:<15} " + "  ".join(f"{f}:{n}" for f, n in drawn))
    return 0


if __name__ == "__main__":
    sys.exit(main())
