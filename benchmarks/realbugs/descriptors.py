"""The real-code repair corpus: bugs injected into the packages of the ecosystem check.

Each bug is `bugs/<name>.toml` (see README.md). Nothing of a package's sources is committed: a bug's project is
the package's prepared pristine sdist (`benchmarks/ecosystem/fetch.py`), copied and patched with the bug's diff;
the reverse of that diff is the reference fix. Tests run with the package's own venv interpreter.
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
BUGS = HERE / "bugs"
REPO = HERE.parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.corpus.check import apply_patch  # noqa: E402
from benchmarks.ecosystem.fetch import Prepared, cache_dir, prepare  # noqa: E402

_HUNK = re.compile(r"^@@ -(\d+)(,(\d+))? \+(\d+)(,(\d+))? @@(.*\n?)")
KEYS = ("package", "class", "file", "symbol", "summary", "draw", "failing", "diff")


@dataclass(frozen=True)
class RealBug:
    """One descriptor: where the bug is, which tests it breaks, and the bug as a diff against the sdist."""

    name: str
    package: str
    bug_class: str
    file: str
    symbol: str
    summary: str
    draw: str  # the draw slot and candidate it was written in (see draw.py)
    failing: tuple[str, ...]
    tags: tuple[str, ...]
    diff: str

    @property
    def fix(self) -> str:
        """The reference fix: the bug's diff reversed."""
        return reverse_diff(self.diff)


def load(path: Path) -> RealBug:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    missing = [k for k in KEYS if k not in data]
    if missing:
        raise ValueError(f"{path.name}: missing keys {', '.join(missing)}")
    return RealBug(
        name=path.stem,
        package=data["package"],
        bug_class=data["class"],
        file=data["file"],
        symbol=data["symbol"],
        summary=data["summary"],
        draw=data["draw"],
        failing=tuple(data["failing"]),
        tags=tuple(data.get("tags", ())),
        diff=data["diff"],
    )


def bugs(only: Sequence[str] = ()) -> list[RealBug]:
    found = [load(p) for p in sorted(BUGS.glob("*.toml"))]
    unknown = sorted(set(only) - {b.name for b in found})
    if unknown:
        raise SystemExit(f"unknown bug(s): {', '.join(unknown)}")
    return [b for b in found if not only or b.name in only]


def reverse_diff(diff: str) -> str:
    """The unified diff that undoes `diff`: file headers, hunk ranges and +/- lines swapped."""
    out: list[str] = []
    remaining = 0  # lines of the current hunk still to read (old and new side together)
    for line in diff.splitlines(keepends=True):
        hunk = _HUNK.match(line)
        if remaining <= 0 and hunk:
            old, new = hunk.group(1, 3), hunk.group(4, 6)
            remaining = sum(int(n) if n else 1 for n in (old[1], new[1]))
            out.append(f"@@ -{new[0]}{_count(new[1])} +{old[0]}{_count(old[1])} @@{hunk.group(7)}")
        elif remaining <= 0 and line.startswith("--- "):
            out.append(line)  # kept in place; swapped with the `+++` line below
        elif remaining <= 0 and line.startswith("+++ "):
            out[-1], line = "--- " + line[4:], "+++ " + out[-1][4:]
            out.append(line)
        elif line[:1] in "+-":
            out.append({"+": "-", "-": "+"}[line[0]] + line[1:])
            remaining -= 1
        else:
            out.append(line)
            remaining -= 2 if line[:1] == " " or line.strip() == "" else 0
    return "".join(out)


def _count(text: str | None) -> str:
    return f",{text}" if text else ""


def pristine_copy(package: str, dest: Path) -> Prepared:
    """Copy the package's pristine sources to `dest`; returns the prepared package (its interpreter, ...)."""
    prepared = prepare(package)
    prepared.copy_to(dest)
    return prepared


def materialise(bug: RealBug, dest: Path) -> Prepared:
    """The bug's project at `dest`: the pristine sources with the bug's diff applied."""
    prepared = pristine_copy(bug.package, dest)
    error = apply_patch(dest, bug.diff)
    if error:
        raise ValueError(f"{bug.name}: the bug's diff does not apply to {bug.package}: {error}")
    return prepared


def checkout(bug: RealBug) -> tuple[Path, Prepared]:
    """The bug's project, freshly materialised at a stable place in the ecosystem cache (so base shadows and
    saved reports are reused across runs); returns its root and the prepared package."""
    root = cache_dir() / "realbugs" / bug.name
    shutil.rmtree(root, ignore_errors=True)
    root.parent.mkdir(parents=True, exist_ok=True)
    return root, materialise(bug, root)


def test_paths(prepared: Prepared) -> list[str] | None:
    """The test paths the ecosystem check gives pytest for this package (None: pytest's own default)."""
    return list(prepared.package.args) or None


def file_lines(root: Path, file: str) -> int:
    return len((root / file).read_text(encoding="utf-8").splitlines())
