"""One cancellable work-done progress per run, under a fresh token (pygls never frees a token)."""

from __future__ import annotations

import uuid
from typing import Any

from lsprotocol import types


def new_token() -> str:
    return f"untilgreen-{uuid.uuid4().hex}"


class RunProgress:
    def __init__(self, ls: Any, token: str) -> None:
        self.ls = ls
        self.token = token
        self.active = False

    async def begin(self, title: str, message: str) -> None:
        window = self.ls.client_capabilities.window
        if not (window and window.work_done_progress):
            return
        try:
            await self.ls.work_done_progress.create_async(self.token)
        except Exception as exc:  # noqa: BLE001 - a client may refuse progress; the run goes on without it
            self.ls.window_log_message(types.LogMessageParams(types.MessageType.Log, f"no progress: {exc}"))
            return
        self.ls.work_done_progress.begin(
            self.token,
            types.WorkDoneProgressBegin(title=title, message=message, cancellable=True, percentage=0),
        )
        self.active = True

    def report(self, message: str, attempt: int, of: int) -> None:
        if self.active:
            percentage = min(99, int(100 * attempt / of)) if of else None
            self.ls.work_done_progress.report(
                self.token,
                types.WorkDoneProgressReport(message=message, percentage=percentage, cancellable=True),
            )

    def end(self, message: str) -> None:
        if self.active:
            self.ls.work_done_progress.end(self.token, types.WorkDoneProgressEnd(message=message))
            self.active = False
