"""A published peer side by side: fixkit's repair engines and the built-in repairer on the same corpus projects.

Run: python benchmarks/bench_fixkit.py [--only NAME ...] [--engines PyMutRepair PyGenProg PyKali] [--cap 60]
     [--jobs 2] [--cache DIR]

fixkit (PyPI) runs from its own virtualenv, created in --cache on the first run (`pip install fixkit==0.0.1`,
minutes: a dependency builds a C++ parser). This file is also the script that virtualenv runs (`--engine`), so it
imports nothing from untilgreen at module level. As installed, fixkit does not import; the engine side works
around that (sflkit's `Predicate` moved to `sflkit.analysis.predicate`; `DummySpectrum` in place of the abstract
`Spectrum`), puts the virtualenv's bin first on PATH (fixkit runs a bare `python` and `coverage`), uses a fresh
`out` directory per run (stale copies are reused silently) and excludes the tests from the statements it
mutates. Each engine gets --cap seconds per project, everything included, on a copy of the project. fixkit
returns its best candidates even when none passes: only candidates of fitness 1.0 count, and only when the
project's tests pass on a copy with the patch applied (its reported fitness was sometimes wrong).
The built-in repairer runs with the same cap (as its time budget) and is checked the same way (a cold re-run).
PyKali 0.0.1 stops in `from_source` with a TypeError (its constructor still passes an `initial_candidate` that
the base class no longer takes); it is run anyway, so the table says so rather than leaving it out.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIXKIT = "fixkit==0.0.1"
ENGINES = ("PyMutRepair", "PyGenProg", "PyKali")
# One project for each of eight bug classes (the single-token classes, and a missing line): with three engines
# at 60 s each the whole corpus would take over two hours.
SUBSET = (
    "rate_limiter",
    "histogram_bins",
    "geo_distance",
    "access_control",
    "column_align",
    "gradebook",
    "word_stats",
    "bank_account",
)
GENETIC = {"population_size": 10, "max_generations": 5, "w_mut": 0.06}


# ------------------------------------------------------------------------- inside fixkit's virtualenv


def _patch_fixkit_imports() -> None:
    """Make fixkit 0.0.1 import against the sflkit pip resolves (see the module docstring)."""
    import sflkit
    from sflkit.analysis import predicate, spectra

    if not hasattr(sflkit, "Predicate"):
        sflkit.Predicate = predicate.Predicate  # type: ignore[attr-defined]
    from fixkit.localization import coverage

    coverage.Spectrum = spectra.DummySpectrum  # type: ignore[attr-defined]


def _tests_pass(project: Path, python: str) -> bool:
    done = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=30,
    )
    return done.returncode == 0


def run_engine(engine: str, project: Path, package: str, work: Path) -> dict[str, object]:
    """Repair `project` (a copy) with one fixkit engine; the first fitness-1.0 patch that really passes wins."""
    _patch_fixkit_imports()
    from fixkit.genetic.transform import MutationTransformer
    from fixkit.localization.coverage import CoverageLocalization
    from fixkit.repair.pygenprog import PyGenProg
    from fixkit.repair.pykali import PyKali
    from fixkit.repair.pymutrepair import PyMutRepair

    engines = {"PyMutRepair": PyMutRepair, "PyGenProg": PyGenProg, "PyKali": PyKali}
    tests = sorted(str(p.relative_to(project)) for p in project.rglob("test_*.py"))
    out = work / "out"
    localization = CoverageLocalization(project, cov=package, metric="Ochiai", tests=tests, out=out)
    options = (
        dict(GENETIC)
        if engine == "PyGenProg"
        else {k: v for k, v in GENETIC.items() if k != "population_size"}
    )
    repair = engines[engine].from_source(
        src=project, excludes=tests, localization=localization, out=out, workers=1, **options
    )
    found = list(repair.repair())
    perfect = [candidate for candidate in found if candidate.fitness >= 1.0]
    for number, candidate in enumerate(perfect):
        applied = work / f"applied-{number}"
        MutationTransformer().transform(candidate, applied)  # a copy of the project with the patch applied
        if _tests_pass(applied, sys.executable):
            return {"fixed": True, "note": f"{len(found)} candidates returned, {len(perfect)} of fitness 1.0"}
    return {"fixed": False, "note": f"{len(found)} candidates returned, {len(perfect)} of fitness 1.0"}


# ------------------------------------------------------------------------- the side by side (untilgreen's venv)


def ensure_venv(cache: Path) -> Path:
    """fixkit's own virtualenv in `cache` (created once); its python."""
    python = cache / "venv" / "bin" / "python"
    if not (cache / "venv" / ".installed").exists():
        subprocess.run([sys.executable, "-m", "venv", str(cache / "venv")], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", FIXKIT, "pytest"], check=True)
        (cache / "venv" / ".installed").write_text(FIXKIT)
    return python


def fixkit_on(python: Path, engine: str, root: Path, package: str, cap_s: float) -> dict[str, object]:
    """One engine on a fresh copy of `root`, killed (process group) at `cap_s`."""
    with tempfile.TemporaryDirectory(prefix="bench-fixkit-") as folder:
        work = Path(folder)
        shutil.copytree(root, work / "project", ignore=shutil.ignore_patterns("__pycache__", ".*"))
        env = dict(
            os.environ,
            PATH=f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}",
            VIRTUAL_ENV=str(python.parent.parent),
        )
        env.pop("PYTHONPATH", None)
        argv = [str(python), __file__, "--engine", engine, str(work / "project"), package, str(work)]
        started = time.monotonic()
        process = subprocess.Popen(
            argv,
            cwd=work,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            text=True,
        )
        try:
            out, err = process.communicate(timeout=cap_s)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return {"fixed": False, "seconds": cap_s, "note": f"stopped at the {cap_s:.0f} s cap"}
        seconds = time.monotonic() - started
        lines = [line for line in out.splitlines() if line.startswith("{")]
        if process.returncode or not lines:
            last = (err.strip().splitlines() or ["no output"])[-1]
            return {"fixed": False, "seconds": seconds, "note": f"error: {last[:120]}"}
        return {**json.loads(lines[-1]), "seconds": seconds}


def package_of(bug_file: str) -> str:
    """The importable package (or module) of the buggy file, which fixkit's coverage measures."""
    return bug_file.split("/")[0].removesuffix(".py")


def ours_on(name: str, cap_s: float, jobs: int) -> dict[str, object]:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_builtin import repair  # untilgreen is imported on this side only
    from bench_localization import load_bug

    corpus = Path(__file__).parent / "corpus"
    bug = load_bug(corpus / name / "bug.toml")
    args = argparse.Namespace(python=sys.executable, reports=None, jobs=jobs, budget=cap_s)
    started = time.monotonic()
    outcome = repair(bug, bug.kind, args, None)
    return {
        "fixed": outcome.fixed,
        "seconds": outcome.seconds if outcome.fixed else time.monotonic() - started,
        "note": outcome.source,
    }


def side_by_side(args: argparse.Namespace) -> int:
    corpus = Path(__file__).parent / "corpus"
    python = ensure_venv(args.cache)
    names = args.only or list(SUBSET)
    results: dict[str, list[dict[str, object]]] = {label: [] for label in ("ours", *args.engines)}
    for name in names:
        bug_file = _bug_field(corpus / name / "bug.toml", "file")
        rows = {"ours": ours_on(name, args.cap, args.jobs)}
        for engine in args.engines:
            rows[engine] = fixkit_on(python, engine, corpus / name, package_of(bug_file), args.cap)
        for label, row in rows.items():
            results[label].append(row)
            print(
                f"{name:<16} {label:<12} {'FIXED' if row['fixed'] else 'no':<5} {row['seconds']:6.1f}s "
                f"{row.get('note', '')}",
                flush=True,
            )
    print(f"\n{len(names)} projects, cap {args.cap:.0f} s per project and engine; fixkit {GENETIC}")
    for label, rows in results.items():
        fixed = [r for r in rows if r["fixed"]]
        total = sum(float(r["seconds"]) for r in rows)  # type: ignore[arg-type]
        times = sorted(float(r["seconds"]) for r in fixed)  # type: ignore[arg-type]
        median = f"{times[len(times) // 2]:.1f}s" if times else "-"
        print(
            f"{label:<12} fixed {len(fixed)}/{len(rows)}, median time to a fix {median}, total {total:.0f}s"
        )
    return 0


def _bug_field(path: Path, key: str) -> str:
    import tomllib  # Python 3.11+: the side-by-side runs in untilgreen's environment

    return str(tomllib.loads(path.read_text(encoding="utf-8"))[key])


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--engine":
        engine, project, package, work = sys.argv[2:6]
        print(json.dumps(run_engine(engine, Path(project), package, Path(work))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", nargs="*", default=None, help=f"projects (default: {len(SUBSET)} of the corpus)"
    )
    parser.add_argument("--engines", nargs="*", default=list(ENGINES), choices=ENGINES)
    parser.add_argument("--cap", type=float, default=60.0, help="seconds per project and engine")
    parser.add_argument("--jobs", type=int, default=2, help="warm workers of the built-in repairer")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "untilgreen-bench" / "fixkit")
    return side_by_side(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
