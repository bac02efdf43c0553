"""What a request may ask for: checked before anything is queued, each problem in one sentence (HTTP 4xx)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from untilgreen.errors import UserError
from untilgreen.serve.projects import NotServed, Projects
from untilgreen.settings import SPECS, flatten, load_settings

# The settings a request may override: the untrusted ones, which a project's own pyproject.toml may set too.
ALLOWED = tuple(name for name, spec in SPECS.items() if not spec.trusted)


class BadRequest(Exception):
    """A request the server refuses; `status` is its HTTP status, the message one sentence."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class RunSpec:
    project: str
    root: Path
    targets: list[str] = field(default_factory=list)
    mode: str = "fix"
    goal: str = ""
    settings: dict[str, Any] = field(default_factory=dict)  # the operator's overrides, then the request's


@dataclass
class EvalSpec:
    project: str
    root: Path
    runs: int = 1
    only: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)


def _object(body: Any, what: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadRequest(f'the body of {what} must be a JSON object, e.g. {{"project": "NAME"}}.')
    return body


def _strings(body: dict[str, Any], key: str) -> list[str]:
    value = body.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise BadRequest(f"`{key}` must be a list of non-empty strings.")
    return list(value)


def _project(body: dict[str, Any], projects: Projects) -> tuple[str, Path]:
    try:
        return projects.resolve(body.get("project"))
    except NotServed as exc:
        raise BadRequest(str(exc), 403 if isinstance(body.get("project"), str) else 400) from None


def _settings(body: dict[str, Any], root: Path, operator: dict[str, Any]) -> dict[str, Any]:
    """The request's setting overrides, checked against the trust rules and the settings' own types, layered
    over the operator's."""
    raw = body.get("settings", {})
    if not isinstance(raw, dict):
        raise BadRequest(
            '`settings` must be a JSON object of setting names and values, e.g. {"attempts": 2}.'
        )
    asked = flatten(raw)
    for name in asked:
        spec = SPECS.get(name)
        if spec is None:
            raise BadRequest(f"unknown setting `{name[:100]}`; a request may set: {', '.join(ALLOWED)}.")
        if spec.trusted:
            raise BadRequest(
                f"`{name}` is a trusted setting (it can send data or code elsewhere, or turn off a safeguard), which "
                "a request cannot set; the server's operator sets it with `untilgreen serve --set` or the user "
                "config.",
                403,
            )
    merged = {**operator, **asked}
    try:
        load_settings(root, overrides=merged, overrides_origin="the request")
    except UserError as exc:
        raise BadRequest(str(exc)) from None
    return merged


def run_spec(body: Any, projects: Projects, operator: dict[str, Any]) -> RunSpec:
    body = _object(body, "POST /runs")
    name, root = _project(body, projects)
    mode = body.get("mode", "fix")
    if mode not in ("fix", "goal"):
        raise BadRequest(f'`mode` must be "fix" or "goal", not {str(mode)[:50]!r}.')
    goal = body.get("goal", "")
    if not isinstance(goal, str) or (mode == "goal" and not goal.strip()):
        raise BadRequest('goal mode needs `goal`: the change you want, e.g. "add a slugify() that ...".')
    targets = _strings(body, "targets")
    return RunSpec(name, root, targets, mode, goal, _settings(body, root, operator))


def eval_spec(body: Any, projects: Projects, operator: dict[str, Any]) -> EvalSpec:
    body = _object(body, "POST /evals")
    name, root = _project(body, projects)
    runs = body.get("runs", 1)
    if not isinstance(runs, int) or isinstance(runs, bool) or not 1 <= runs <= 10:
        raise BadRequest("`runs` must be a whole number from 1 to 10.")
    return EvalSpec(name, root, runs, _strings(body, "only"), _settings(body, root, operator))
