"""Reading `untilgreen eval --json` output back into a `Report`, for `eval compare`.

Files written before a key was added still read (such fields take their defaults); a file that is not eval output
is one sentence naming it.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, get_args, get_type_hints

from untilgreen.agent.evaluate import Report, Sample
from untilgreen.errors import UserError

HINT = "pass files written by `untilgreen eval CORPUS --json`"
_TYPES = get_type_hints(Sample)


def read_report(path: Path) -> Report:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise UserError(f"{path} cannot be read ({err.strerror}); {HINT}.") from None
    except ValueError:  # not UTF-8, or not JSON
        raise UserError(f"{path} is not JSON; {HINT}.") from None
    if isinstance(data, dict) and "error" in data:
        raise UserError(f"{path} holds an eval that failed ({data['error']}); {HINT}.")
    try:
        return _report(data)
    except ValueError as err:
        raise UserError(f"{path} is not eval output ({err}); {HINT}.") from None


def labels(paths: Sequence[Path]) -> list[str]:
    """The file names without `.json`, or the paths as given when two names are the same."""
    stems = [p.stem for p in paths]
    return stems if len(set(stems)) == len(stems) else [str(p) for p in paths]


def _report(data: Any) -> Report:
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    model, runs, samples = data.get("model"), data.get("runs"), data.get("samples")
    if not isinstance(model, str):
        raise ValueError("no `model` string")
    if not isinstance(runs, int) or isinstance(runs, bool) or runs < 1:
        raise ValueError("no `runs` count")
    if not isinstance(samples, list):
        raise ValueError("no `samples` list")
    return Report(model, runs, [_sample(raw) for raw in samples])


def _sample(raw: Any) -> Sample:
    if not isinstance(raw, dict):
        raise ValueError("a sample is not an object")
    values: dict[str, Any] = {}
    for field in dataclasses.fields(Sample):
        if field.name not in raw:
            if field.default is dataclasses.MISSING:
                raise ValueError(f"a sample has no `{field.name}`")
            continue
        value = raw[field.name]
        if not isinstance(value, _accepted(_TYPES[field.name])):
            raise ValueError(f"a sample's `{field.name}` is a {type(value).__name__}")
        values[field.name] = value
    return Sample(**values)


def _accepted(hint: Any) -> tuple[type, ...]:
    """The JSON value types for a field's type: a float may be written as an integer."""
    return tuple(t for h in (get_args(hint) or (hint,)) for t in ((int, float) if h is float else (h,)))
