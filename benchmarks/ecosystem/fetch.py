"""Prepare a real package of the ecosystem check: its sdist (hash-verified, unpacked) and its own test venv.

`prepare(name)` is idempotent: the sdist is downloaded once from PyPI and checked against the sha256 in
`sdists.lock`; the venv is built once per (interpreter, lock file) from `locks/<name>.txt` with
`pip install --no-deps --require-hashes` and `pip check`. The unpacked source is never written to afterwards:
copy it (`Prepared.copy_to`) before running anything that may write into it.

    from benchmarks.ecosystem.fetch import prepare
    prepared = prepare("six")          # Prepared(name, version, source_dir, python, ...)

The cache lives in `$UNTILGREEN_ECOSYSTEM_CACHE`, else `~/.cache/untilgreen-ecosystem` (not under
$XDG_CACHE_HOME: our test session points that at a temporary folder, and must still find what the install
step prepared). Interpreters are found as `$UNTILGREEN_ECOSYSTEM_PYTHON_3_12` (for "3.12"),
else the newest `$PYENV_ROOT/versions/3.12.*` (default `~/.pyenv`), else `python3.12` on PATH.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "packages.toml"
SDISTS_LOCK = HERE / "sdists.lock"
LOCKS = HERE / "locks"
PYPI = "https://pypi.org/simple"


class FetchError(Exception):
    """A package cannot be prepared; the message says why and what to do."""


@dataclass(frozen=True)
class Package:
    """One entry of `packages.toml`."""

    name: str
    version: str
    python: str
    requires: tuple[str, ...]
    project: str = ""  # the PyPI name when it differs from `name`
    args: tuple[str, ...] = ()
    pythonpath: tuple[str, ...] = ()
    shapes: tuple[str, ...] = ()
    ci: bool = False  # part of the fast subset our test suite compares live
    environmental: dict[str, str] = field(default_factory=dict)

    @property
    def pypi_name(self) -> str:
        return self.project or self.name

    @property
    def lock(self) -> Path:
        return LOCKS / f"{self.name}.txt"


@dataclass(frozen=True)
class Prepared:
    """A package ready to test: pristine unpacked sources and the interpreter of its own venv."""

    package: Package
    source_dir: Path
    python: Path

    @property
    def name(self) -> str:
        return self.package.name

    def copy_to(self, dest: Path) -> Path:
        """A writable copy of the sources at `dest` (which must not exist); returns `dest`."""
        shutil.copytree(self.source_dir, dest, symlinks=True)
        return dest

    def pythonpath(self, root: Path) -> list[str]:
        """The source folders of a copy at `root` that must be importable (src layouts and the like)."""
        return [str(root / entry) for entry in self.package.pythonpath]


def packages() -> dict[str, Package]:
    """All packages of the manifest, by name, in manifest order."""
    data = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))
    return {name: _package(name, entry) for name, entry in data.items()}


def _package(name: str, entry: dict) -> Package:
    listed = {key: tuple(entry.get(key, ())) for key in ("requires", "args", "pythonpath", "shapes")}
    return Package(
        name=name,
        version=entry["version"],
        python=entry["python"],
        project=entry.get("project", ""),
        ci=entry.get("ci", False),
        environmental=dict(entry.get("environmental", {})),
        **listed,
    )


def package(name: str) -> Package:
    known = packages()
    if name not in known:
        raise FetchError(f"{name} is not in {MANIFEST.name}; add it there and run lock.py.")
    return known[name]


def cache_dir() -> Path:
    configured = os.environ.get("UNTILGREEN_ECOSYSTEM_CACHE")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "untilgreen-ecosystem"


def sdist_locks() -> dict[str, tuple[str, str, str]]:
    """name -> (version, sha256, url) from `sdists.lock` (lines `name==version sha256 url`)."""
    locked = {}
    for line in SDISTS_LOCK.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pin, sha256, url = line.split()
            name, version = pin.split("==")
            locked[name] = (version, sha256, url)
    return locked


def prepare(name: str, *, download: bool = True) -> Prepared:
    """The package `name` unpacked and its venv built (each only once); raises FetchError with the fix.

    With `download=False` nothing is fetched or built: a package not prepared yet is an error (tests use this,
    so that nothing is downloaded while they run)."""
    pkg = package(name)
    if not download and not prepared_already(pkg):
        raise FetchError(
            f"{name} is not prepared in {cache_dir()}; run benchmarks/ecosystem/prepare.sh first."
        )
    return Prepared(package=pkg, source_dir=_unpacked(pkg), python=_venv(pkg))


def prepared_already(pkg: Package) -> bool:
    locked = sdist_locks().get(pkg.name)
    return (
        locked is not None
        and (_source_folder(pkg, locked[1]) / ".complete").exists()
        and (_venv_folder(pkg) / ".complete").exists()
    )


def find_python(version: str) -> Path:
    """The interpreter for a `major.minor` version (see the module docstring for the search order)."""
    configured = os.environ.get(f"UNTILGREEN_ECOSYSTEM_PYTHON_{version.replace('.', '_')}")
    if configured:
        return Path(configured)
    # pyenv before PATH: a pyenv shim on PATH refuses to run a version that is not selected.
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    found = sorted(
        pyenv.glob(f"{version}.*/bin/python"),
        key=lambda p: [int(part) for part in p.parent.parent.name.split(".") if part.isdigit()],
    )
    if found:
        return found[-1]
    on_path = shutil.which(f"python{version}")
    if not on_path:
        raise FetchError(
            f"no Python {version} found; install it (pyenv install {version}) or set "
            f"UNTILGREEN_ECOSYSTEM_PYTHON_{version.replace('.', '_')} to its interpreter."
        )
    return Path(on_path)


def _unpacked(pkg: Package) -> Path:
    locked = sdist_locks().get(pkg.name)
    if locked is None or locked[0] != pkg.version:
        raise FetchError(f"{pkg.name}=={pkg.version} has no entry in {SDISTS_LOCK.name}; run lock.py.")
    _, sha256, url = locked
    dest = _source_folder(pkg, sha256)
    if (dest / ".complete").exists():
        return dest / "source"
    archive = _download(url, sha256)
    partial = dest.with_name(dest.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        if sys.version_info >= (3, 12):
            tar.extractall(partial, filter="data")
        else:
            tar.extractall(partial)
    tops = list(partial.iterdir())
    if len(tops) != 1 or not tops[0].is_dir():
        raise FetchError(f"{archive.name} does not unpack to one folder; it cannot be used as is.")
    tops[0].rename(partial / "source")
    (partial / ".complete").write_text(sha256 + "\n")
    shutil.rmtree(dest, ignore_errors=True)
    partial.rename(dest)
    return dest / "source"


def _source_folder(pkg: Package, sha256: str) -> Path:
    return cache_dir() / "src" / f"{pkg.name}-{pkg.version}-{sha256[:12]}"


def _venv_folder(pkg: Package) -> Path:
    base = find_python(pkg.python)
    digest = hashlib.sha256(pkg.lock.read_bytes() + str(base).encode()).hexdigest()[:12]
    return cache_dir() / "venvs" / f"{pkg.name}-{pkg.python}-{digest}"


def _download(url: str, sha256: str) -> Path:
    archive = cache_dir() / "sdists" / url.rsplit("/", 1)[-1]
    if archive.exists() and _sha256(archive) == sha256:
        return archive
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(archive.name + ".partial")
    try:
        with urllib.request.urlopen(url, timeout=120) as response, open(partial, "wb") as out:
            shutil.copyfileobj(response, out)
    except OSError as exc:
        raise FetchError(f"cannot download {url} ({exc}); check the connection to PyPI.") from None
    actual = _sha256(partial)
    if actual != sha256:
        partial.unlink()
        raise FetchError(
            f"{archive.name} has sha256 {actual}, not the locked {sha256}; the download was altered "
            "or the lock is wrong: do not use it."
        )
    partial.rename(archive)
    return archive


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _venv(pkg: Package) -> Path:
    if not pkg.lock.exists():
        raise FetchError(f"{pkg.lock.name} is missing; run lock.py for {pkg.name}.")
    venv = _venv_folder(pkg)
    python = venv / "bin" / "python"
    if (venv / ".complete").exists():
        return python
    shutil.rmtree(venv, ignore_errors=True)
    _checked([str(find_python(pkg.python)), "-m", "venv", str(venv)], f"creating a venv for {pkg.name}")
    _checked(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--require-hashes",
            "--only-binary",
            ":all:",
            "--index-url",
            PYPI,
            "-r",
            str(pkg.lock),
        ],
        f"installing the locked test dependencies of {pkg.name}",
    )
    _checked([str(python), "-m", "pip", "check"], f"checking the test dependencies of {pkg.name}")
    (venv / ".complete").write_text(str(pkg.lock.name) + "\n")
    return python


def _checked(argv: list[str], what: str) -> None:
    # The index is PyPI alone: no machine-wide pip configuration (mirrors, find-links, constraints) applies.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    result = subprocess.run(argv, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise FetchError(f"{what} failed ({lines[-1] if lines else f'exit code {result.returncode}'}).")
