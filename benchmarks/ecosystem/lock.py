"""Maintainers only: pin each package's sdist (sha256 from PyPI) and lock its test dependencies with hashes.

    python benchmarks/ecosystem/lock.py [--only NAME ...]

Needs `uv` (set UV to its path when it is not on PATH). Writes `sdists.lock` and `locks/<name>.txt`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.ecosystem.fetch import LOCKS, PYPI, SDISTS_LOCK, Package, packages, sdist_locks  # noqa: E402


def sdist_pin(pkg: Package) -> tuple[str, str]:
    """(sha256, url) of the sdist of `pkg` on PyPI."""
    request = urllib.request.Request(
        f"{PYPI}/{pkg.pypi_name}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    stem = re.sub(r"[-_.]+", "_", pkg.pypi_name).lower()
    for entry in files:
        filename = entry["filename"]
        if not filename.endswith(".tar.gz"):
            continue
        name, _, version = filename[: -len(".tar.gz")].rpartition("-")
        if re.sub(r"[-_.]+", "_", name).lower() == stem and version == pkg.version:
            return entry["hashes"]["sha256"], entry["url"]
    raise SystemExit(f"{pkg.pypi_name}=={pkg.version} has no sdist on PyPI; pick another version.")


def lock_requirements(pkg: Package, uv: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        # A relative spec name, so the lock's "via" comments name no path of this machine.
        (Path(scratch) / "requirements.in").write_text("\n".join(pkg.requires) + "\n")
        subprocess.run(
            [
                uv,
                "pip",
                "compile",
                "--quiet",
                "--generate-hashes",
                "--no-header",
                "--only-binary",
                ":all:",
                "--python-version",
                pkg.python,
                "--index-url",
                PYPI,
                "requirements.in",
                "-o",
                str(pkg.lock),
            ],
            check=True,
            cwd=scratch,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="lock only these packages")
    args = parser.parse_args()
    uv = os.environ.get("UV", "uv")
    chosen = {name: pkg for name, pkg in packages().items() if not args.only or name in args.only}
    locked = sdist_locks() if SDISTS_LOCK.exists() else {}
    LOCKS.mkdir(exist_ok=True)
    for name, pkg in chosen.items():
        if locked.get(name, ("",))[0] != pkg.version:
            sha256, url = sdist_pin(pkg)
            locked[name] = (pkg.version, sha256, url)
        lock_requirements(pkg, uv)
        print(f"locked {name}=={pkg.version}")
    known = packages()
    lines = [f"{name}=={v} {sha} {url}" for name, (v, sha, url) in sorted(locked.items()) if name in known]
    SDISTS_LOCK.write_text("# name==version sha256 url (written by lock.py)\n" + "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
