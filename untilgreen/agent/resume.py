"""Resuming a run that stopped on a budget or was cancelled (`fix --resume RUN_ID`, the editor's Continue run).

The stopped run's record keeps what resuming needs (`RunDetail.resume`): its targets, its repairer's settings and
a content hash of every file its attempts touched or its localization showed, as it started. A resumed run takes
the targets and those settings (explicit flags and editor settings win), skips every patch already tried (the
attempts' fingerprints, along the whole chain of resumed runs), numbers its attempts on from the last one, and
gets a fresh budget of `attempts` more. It is refused, with one sentence, when one of those files changed since:
the attempts tried were judged against other code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from untilgreen.agent.result import sha256
from untilgreen.errors import UserError
from untilgreen.models.base import AttemptSummary
from untilgreen.settings import SPECS, Settings, as_dict, build

if TYPE_CHECKING:
    from untilgreen.agent.memory_bridge import MemoryBridge
    from untilgreen.agent.request import RunRequest

RESUMABLE = ("budget", "cancelled")
# What a resumed run keeps of the stopped run's settings: who proposes patches, and how.
REPAIRER_SETTINGS = (
    "model",
    "fast_model",
    "escalate_after",
    "api_base",
    "candidates",
    "strategy",
    "builtin_seconds",
    "edit_format",
    "edit_tests",
    "temperature",
    "context_tokens",
)
# The origins of settings given for this run only (flags, the editor's settings): they win over the stopped run's.
EXPLICIT_ORIGINS = ("the command line", "the worker request", "the run request")
CHAIN_LIMIT = 100  # resumed runs followed back for their fingerprints
NEW_RUN = "start a new run with `untilgreen fix`"


@dataclass
class Resumed:
    """The stopped run as a resumed run takes it over."""

    run_id: str
    targets: list[str]
    settings: dict[str, Any]
    files: dict[str, str | None]  # path -> sha256 of the text the stopped run started from (None: absent)
    last_attempt: int = 0
    fingerprints: dict[str, tuple[int, str]] = field(default_factory=dict)  # -> (attempt, outcome)
    history: list[AttemptSummary] = field(default_factory=list)


def load(memory: MemoryBridge, run_id: str, mode: str) -> Resumed:
    """The stopped run `run_id` of this project; UserError (one sentence) when it cannot be resumed."""
    from untilgreen.memory.records import CARD_CALL

    store = memory.store
    if store is None:
        why = f" ({memory.problem})" if memory.problem else ""
        raise UserError(
            f"run {run_id} cannot be resumed because memory is off{why}; fix the memory database "
            f"(untilgreen doctor) or {NEW_RUN}."
        )
    detail = store.run(run_id)
    if detail is None or detail.summary.project != (store.project or ""):
        raise UserError(
            f"there is no run {run_id} of this project in memory; `untilgreen runs` lists the runs you can resume."
        )
    summary = detail.summary
    if mode != "fix" or summary.mode != "fix":
        raise UserError(f"run {run_id} is a goal run and only fix runs can be resumed; {NEW_RUN}.")
    if summary.stop_reason not in RESUMABLE:
        if summary.outcome == "green":
            raise UserError(
                f"run {run_id} is already green, so there is nothing to resume; see its patch with "
                f"`untilgreen runs show {run_id}`."
            )
        if summary.finished is None:
            raise UserError(f"run {run_id} has not finished; wait for it to stop, or {NEW_RUN}.")
        raise UserError(
            f"run {run_id} stopped with {summary.stop_reason or summary.outcome}, and only a run stopped by its "
            f"budget or cancelled can be resumed; {NEW_RUN}."
        )
    kept = detail.resume
    if not isinstance(kept.get("files"), dict):
        raise UserError(
            f"run {run_id} was recorded by an older untilgreen, without what resuming needs; {NEW_RUN}."
        )
    resumed = Resumed(
        run_id,
        [str(t) for t in kept.get("targets") or []],
        {k: v for k, v in (kept.get("settings") or {}).items() if k in REPAIRER_SETTINGS},
        {str(k): v if isinstance(v, str) else None for k, v in kept["files"].items()},
        kept["attempts"] if isinstance(kept.get("attempts"), int) else 0,
    )
    seen: set[str] = set()
    while detail is not None and detail.summary.id not in seen and len(seen) < CHAIN_LIMIT:
        seen.add(detail.summary.id)
        for attempt in detail.attempts:
            if attempt.outcome == CARD_CALL:
                continue
            resumed.last_attempt = max(resumed.last_attempt, attempt.n)
            if attempt.fingerprint:
                resumed.fingerprints.setdefault(attempt.fingerprint, (attempt.n, attempt.outcome))
            outcome: Any = attempt.outcome  # an Outcome, as the run recorded it
            resumed.history.append(AttemptSummary(attempt.n, attempt.model, outcome, attempt.diff, ""))
        detail = store.run(detail.resumed_from) if detail.resumed_from else None
    resumed.history.sort(key=lambda s: s.number)
    return resumed


def check_files(resumed: Resumed, root: Path, overlays: Mapping[str, str]) -> None:
    """UserError when a file the stopped run's attempts touched or its localization showed is not as it was."""
    changed = [
        path
        for path, digest in sorted(resumed.files.items())
        if sha256(_text(root, overlays, path)) != digest
    ]
    if not changed:
        return
    more = len(changed) - 1
    which = changed[0] + (f" and {more} other file{'s' if more != 1 else ''}" if more else "")
    raise UserError(f"{which} changed since run {resumed.run_id} stopped; {NEW_RUN}.")


def _text(root: Path, overlays: Mapping[str, str], path: str) -> str | None:
    if path in overlays:
        return overlays[path]
    try:
        return (root / path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def resumed_request(request: RunRequest, resumed: Resumed) -> RunRequest:
    """`request` with the stopped run's targets and repairer settings (those given explicitly stay), and its
    attempt budget counted on from the stopped run's last attempt."""
    settings = request.settings
    values = as_dict(settings)
    sources = dict(settings.sources)
    for name, value in resumed.settings.items():
        if name in SPECS and sources.get(name) not in EXPLICIT_ORIGINS:
            values[name] = value
            sources[name] = f"run {resumed.run_id}"
    values["attempts"] = resumed.last_attempt + settings.attempts
    merged: Settings = build(values, sources)
    return dataclasses.replace(request, targets=list(resumed.targets), settings=merged)


def kept(
    settings: Settings, targets: list[str], files: Mapping[str, str | None], attempts: int
) -> dict[str, Any]:
    """What a fix run's record keeps for resuming it (`RunDetail.resume`); `attempts`: the last attempt's number,
    recorded or not (a cancel can stop an attempt before it is judged)."""
    values = as_dict(settings)
    return {
        "attempts": attempts,
        "targets": list(targets),
        "settings": {name: values[name] for name in REPAIRER_SETTINGS},
        "files": dict(files),
    }
