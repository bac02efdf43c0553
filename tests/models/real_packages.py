"""Real packages of the ecosystem check (`benchmarks/ecosystem/`) whose suites have the shapes the warm worker
must get right, and mutants of their own code made by the built-in repairer's operators.

pluggy: a test-folder conftest whose fixtures import the package, a fixture parametrized with ids, xfail,
`testpaths` and `addopts` in `tox.ini`, a src layout. cachetools: unittest.TestCase mixins imported from a
sibling helper module. click: a conftest fixture, runtime skips, xfail, heavy parametrize, tests that write to
tmp and chdir.

They are prepared by an install step, never at test time: `python -m tests.models.real_packages` downloads the
hash-checked sdists and builds each package's hash-locked test venv once (in the ecosystem cache).
"""

from __future__ import annotations

import sys
from collections import defaultdict

from benchmarks.ecosystem import fetch
from untilgreen.context.paths import is_test_path
from untilgreen.models.builtin.mutate import Mutant, mutants
from untilgreen.models.builtin.validate import FileVersion
from untilgreen.sandbox.results import TestReport
from untilgreen.sandbox.workspace import Workspace

PACKAGES = ("pluggy", "cachetools", "click")
PREPARE = "python -m tests.models.real_packages"
MAX_TARGETS = 4
LINES_PER_MUTANT = 3  # lines offered per mutant wanted: some lines have no mutant


def prepared(name: str) -> fetch.Prepared:
    """The package as the install step left it; FetchError (saying which command prepares it) when it is not
    there: nothing is downloaded or built here."""
    try:
        return fetch.prepare(name, download=False)
    except fetch.FetchError as err:
        raise fetch.FetchError(
            f"the real package {name} is not prepared ({err}); prepare it with "
            f"`{PREPARE}` (from the repository root, in the project's venv)"
        ) from None


def spread_mutants(
    files: dict[str, str], report: TestReport, count: int
) -> list[tuple[FileVersion, list[str]]]:
    """`count` mutants of lines the suite runs (`report` with coverage), one per line, the lines spread evenly
    over all the lines it runs; each with the tests that run its line (at most MAX_TARGETS) as its targets."""
    runs: dict[tuple[str, int], set[str]] = defaultdict(set)
    for test, covered in (report.coverage or {}).items():
        for path, lines in covered.items():
            if path in files:
                for line in lines:
                    runs[(path, line)].add(test)
    lines = sorted(runs)
    step = max(1, len(lines) // (LINES_PER_MUTANT * count))
    found: dict[tuple[str, int], Mutant] = {}
    for mutant in mutants(files, dict.fromkeys(lines[::step], 1.0)):
        found.setdefault((mutant.path, mutant.mutation.line), mutant)  # each line's first mutant
    chosen = [m for m in found.values() if (m.path, m.mutation.line) in runs]
    picked = chosen[:: max(1, len(chosen) // count)][:count]
    return [
        (
            FileVersion(m.path, m.mutation.apply(files[m.path])),
            sorted(runs[(m.path, m.mutation.line)])[:MAX_TARGETS],
        )
        for m in picked
    ]


def project_files(workspace: Workspace) -> dict[str, str]:
    """The package's own Python files (not its tests), as the built-in repairer reads them."""
    return {
        path: workspace.read(path)
        for path in workspace.files()
        if path.endswith(".py") and not is_test_path(path)
    }


if __name__ == "__main__":
    for name in sys.argv[1:] or PACKAGES:
        ready = fetch.prepare(name)
        print(f"{name}: sources {ready.source_dir}, interpreter {ready.python}")
