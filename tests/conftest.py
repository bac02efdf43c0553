"""The whole test session keeps untilgreen's user state in a temporary folder, never in the user's own.

Set at import, before any test or child process reads them: the memory database, base shadows, the chunk index
(platformdirs follows the XDG variables) and the user config file. A developer's remembered fixes therefore
cannot change what a test sees, and the tests leave nothing behind in the developer's home.
"""

from __future__ import annotations

import os
import shutil
import tempfile

# pip's download cache (content-addressed, hash-checked) and the real packages the install step prepared
# (`benchmarks/ecosystem/fetch.py`) are not untilgreen state: tests keep using the user's, wherever the XDG
# variables pointed before they are moved below.
pytest_plugins = ["tests.support.pg"]  # the `pg` server and `team_url` fixtures of the team memory tests

_USER_CACHE = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
os.environ.setdefault("PIP_CACHE_DIR", os.path.join(_USER_CACHE, "pip"))
os.environ.setdefault("UNTILGREEN_ECOSYSTEM_CACHE", os.path.join(_USER_CACHE, "untilgreen-ecosystem"))
_STATE = tempfile.mkdtemp(prefix="untilgreen-tests-state-")
for _variable, _folder in (
    ("XDG_CACHE_HOME", "cache"),
    ("XDG_DATA_HOME", "data"),
    ("XDG_CONFIG_HOME", "config"),
):
    os.environ[_variable] = os.path.join(_STATE, _folder)
os.environ.pop("UNTILGREEN_MEMORY_PATH", None)
os.environ.pop("UNTILGREEN_CONFIG", None)


def pytest_unconfigure(config: object) -> None:
    shutil.rmtree(_STATE, ignore_errors=True)
