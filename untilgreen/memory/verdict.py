"""The user's verdict on a run's final diff, counted for the fix cards it stored or replayed (the team's too)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from untilgreen.errors import UserError
from untilgreen.memory.store import Store

if TYPE_CHECKING:
    from untilgreen.settings import Settings


def record_verdict(settings: Settings, root: Path, run_id: str, accepted: bool) -> str:
    """Count the user's verdict on a run's final diff for its fix cards; "" or one sentence why it could not be."""
    if settings.memory.read_only:
        return ""
    try:
        with Store.configured(settings.memory, root) as store:
            store.review_run(run_id, accepted)
    except UserError as err:
        return f"your verdict on run {run_id} was not remembered: {err}"
    except Exception as err:  # noqa: BLE001 - the patch is the user's either way
        return f"your verdict on run {run_id} was not remembered ({err})"
    return ""
