"""Failures caused by the environment, not the code: a network or service the sandbox cannot reach, a missing
environment variable, a file outside the project. They are classified at baseline and never "repaired"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from untilgreen.sandbox.results import Failure

Need = Literal["network", "service", "env-var", "file"]

_NETWORK_TYPES = re.compile(
    r"(?:^|\.)(?:ConnectionRefusedError|ConnectionResetError|gaierror|herror|URLError|ConnectError|ConnectTimeout|"
    r"NewConnectionError|MaxRetryError|ClientConnectorError|ServerSelectionTimeoutError)$"
)
_SERVICE_MODULES = re.compile(
    r"(?i)psycopg|pymysql|mysql|redis|pymongo|sqlalchemy|asyncpg|kombu|amqp|elasticsearch"
)
_NETWORK_WORDS = re.compile(
    r"(?i)connection refused|name or service not known|temporary failure in name resolution|network is unreachable|"
    r"nodename nor servname|could not connect to server|no route to host|failed to establish a new connection|"
    r"errno (?:101|111|113|-2|-3)\b"
)
_SERVICE_WORDS = re.compile(
    r"(?i)\b(?:database|postgres|mysql|redis|mongo|rabbitmq|kafka|server at|port \d+)\b"
)
_ENV_WORDS = re.compile(
    r"(?i)(?:environment variable|env var)\s+['\"`]?(?P<name>[A-Z][A-Z0-9_]{2,})['\"`]?\s+(?:is )?(?:not set|missing|"
    r"required|undefined)|(?:missing|unset|required) environment variable:?\s+['\"`]?(?P<name2>[A-Z][A-Z0-9_]{2,})"
)
_QUOTED_NAME = re.compile(r"^['\"](?P<name>[A-Za-z_][A-Za-z0-9_]*)['\"]$")
_MISSING_FILE = re.compile(r"No such file or directory: ['\"](?P<path>/[^'\"]+)['\"]")


@dataclass(frozen=True)
class EnvironmentNeed:
    test_id: str
    need: Need
    detail: str  # the variable, the file, or the error text

    def advice(self) -> str:
        if self.need == "env-var":
            return (
                f"they need the environment variable {self.detail}: set it and add it to "
                f"sandbox.env_passthrough (e.g. --set sandbox.env_passthrough={self.detail})"
            )
        if self.need == "file":
            return f"they need {self.detail}, a file outside the project, which the sandbox does not show"
        what = "a service" if self.need == "service" else "the network"
        return (
            f"they need {what} ({self.detail}): start it if it is local and allow access with "
            "--set sandbox.network=true"
        )


def classify(failure: Failure, project_dirs: Sequence[str] = ()) -> EnvironmentNeed | None:
    """What the environment lacks for this failure to go away, or None when it looks like a code problem.

    `project_dirs` are the folders the project lives in (the shadow, the original root): a missing file inside
    them is the code's business."""
    exc = failure.exc_type.strip()
    text = f"{exc}: {failure.message}"
    name = _env_name(failure)
    if name:
        return EnvironmentNeed(failure.test_id, "env-var", name)
    if (
        _NETWORK_TYPES.search(exc)
        or _NETWORK_WORDS.search(text)
        or (_SERVICE_MODULES.search(exc) and _NETWORK_WORDS.search(failure.output + text))
    ):
        first = failure.message.strip().splitlines()[0][:160] if failure.message.strip() else exc
        service = _SERVICE_MODULES.search(exc) or _SERVICE_WORDS.search(text)
        return EnvironmentNeed(failure.test_id, "service" if service else "network", first)
    match = _MISSING_FILE.search(failure.message)
    if (
        match
        and exc.endswith(("FileNotFoundError", "OSError", "IOError"))
        and not any(match["path"].startswith(d.rstrip("/") + "/") for d in project_dirs)
    ):
        return EnvironmentNeed(failure.test_id, "file", match["path"])
    return None


def _env_name(failure: Failure) -> str:
    match = _ENV_WORDS.search(failure.message)
    if match:
        return match["name"] or match["name2"]
    from_os_environ = any(
        not f.in_project and PurePosixPath(f.file).name == "os.py" and f.function == "__getitem__"
        for f in failure.frames
    )
    quoted = _QUOTED_NAME.match(failure.message.strip())
    if (
        failure.exc_type.endswith("KeyError")
        and quoted
        and (from_os_environ or "os.environ[" in failure.output)
    ):
        return quoted["name"]
    return ""


def classify_all(failures: Sequence[Failure], project_dirs: Sequence[str] = ()) -> list[EnvironmentNeed]:
    return [need for need in (classify(f, project_dirs) for f in failures) if need is not None]


def explain(needs: Sequence[EnvironmentNeed], outcome: str = "untilgreen did not try to repair it") -> str:
    """One sentence for the user: which tests cannot pass here, what they need, and what the run did."""
    first = needs[0]
    others = f" and {len(needs) - 1} more" if len(needs) > 1 else ""
    return (
        f"the failure of {first.test_id}{others} comes from the environment, not the code: "
        f"{first.advice()}; {outcome}."
    )
