"""One run, end to end: snapshot, worker, progress, attempt diagnostics and notifications, the final edit."""

from __future__ import annotations

import asyncio
from typing import Any

from lsprotocol import types

from untilgreen.protocol import (
    AttemptProposed,
    Event,
    Finding,
    JudgedAttempt,
    ModelProgress,
    Notice,
    PhaseChanged,
    RunStarted,
)
from untilgreen.server.diagnostics import RUN, info_diagnostics, security_diagnostics
from untilgreen.server.edits import edit_support, workspace_edit
from untilgreen.server.progress import RunProgress
from untilgreen.server.project import Project
from untilgreen.server.runs import RunRecord, Worker, security_warning
from untilgreen.server.snapshot import Refused, Snapshot, plan

ATTEMPT, RUN_STATUS = "untilgreen/attempt", "untilgreen/run"
PROGRESS_EVENTS = (RunStarted, PhaseChanged, AttemptProposed, Notice)


class RunDriver:
    def __init__(
        self,
        ls: Any,
        project: Project,
        record: RunRecord,
        overrides: dict[str, Any],
        mode: str = "fix",
        goal: str = "",
        file: str = "",
        resume: str = "",
    ) -> None:
        self.ls = ls
        self.project = project
        self.record = record
        self.overrides = overrides
        self.mode, self.goal, self.file = mode, goal, file
        self.resume = resume  # the memory run id of the stopped run this run continues
        self.progress = RunProgress(ls, record.token)

    def _notify_status(self) -> None:
        self.ls.protocol.notify(RUN_STATUS, self.record.status())

    def _message(self, kind: types.MessageType, text: str) -> None:
        self.ls.window_show_message(types.ShowMessageParams(type=kind, message=text))

    async def run(self) -> None:
        record, project = self.record, self.project
        project.diagnostics.replace(RUN, {})
        worker: Worker | None = None
        try:  # a cancel can land at any await, the first ones included: the run still ends as cancelled
            title = "Continue run" if self.resume else "Fix until green"
            await self.progress.begin("Implement goal" if self.mode == "goal" else title, "starting")
            self._notify_status()
            snapshot = await asyncio.to_thread(Snapshot.take, project.root, project.open_documents())
            record.snapshot = snapshot
            request = {
                "root": str(project.root),
                "targets": record.targets,
                "overlays": snapshot.overlays,
                "mode": self.mode,
                "goal": self.goal,
                "file": self.file,
                "settings": self.overrides,
            }
            if self.resume:
                request["resume"] = self.resume
            worker = await Worker.start(request, project.root)
            async for event in worker.events():
                self._on_event(event)
            code, error = await worker.wait()
            record.finish("failed", error or f"the run stopped unexpectedly (exit status {code}).")
        except asyncio.CancelledError:
            record.finish("cancelled", "cancelled")
            if worker is not None:
                await worker.stop()
        finally:
            self._finish()
        if record.state == "green" and record.diff:
            await self.deliver(snapshot)
        elif record.state == "failed":
            self._message(types.MessageType.Warning, f"untilgreen: {record.summary()[len('untilgreen: ') :]}")
        elif record.stop_reason == "goal-met":
            self._message(types.MessageType.Info, f"untilgreen: {record.message}")

    def _on_event(self, event: Event) -> None:
        record = self.record
        judged = record.apply(event)
        if judged is not None:
            if record.snapshot is not None:
                record.snapshot.remember(judged.diff, self.project.current)
            message = record.attempt_message(judged)
            diagnostics = info_diagnostics(judged.ranges, message)
            warnings = security_diagnostics(judged.security, f"attempt {judged.number}: security review")
            for rel, found in warnings.items():
                diagnostics.setdefault(rel, []).extend(found)
            self.project.diagnostics.add(RUN, diagnostics)
            params = {
                "runId": record.run_id,
                "attempt": judged.number,
                **judged.fields(),
                "ranges": {
                    self.project.uri_of(rel): [[s - 1, e - 1] for s, e in spans]
                    for rel, spans in judged.ranges.items()
                },
            }
            self.ls.protocol.notify(ATTEMPT, params)
            self.progress.report(message, record.attempt, record.of)
        elif isinstance(event, ModelProgress):  # several a second: the progress only, not `untilgreen/run`
            self.progress.report(self._label() + event.message(), record.attempt, record.of)
        elif isinstance(event, PROGRESS_EVENTS):
            what = record.message if isinstance(event, Notice) else record.phase
            self.progress.report(self._label() + what, record.attempt, record.of)
            self._notify_status()

    def _label(self) -> str:
        record = self.record
        return f"attempt {record.attempt}/{record.of}: " if record.attempt else ""

    def _finish(self) -> None:
        record = self.record
        summary = record.summary()
        where = record.ranges if record.state == "green" else self._target_lines()
        diagnostics = info_diagnostics(where, summary)
        if record.state == "green":
            for rel, found in security_diagnostics(
                record.security, "untilgreen's fix: security review"
            ).items():
                diagnostics.setdefault(rel, []).extend(found)
        self.project.diagnostics.replace(RUN, diagnostics)
        self.progress.end(summary)
        self._notify_status()

    def _target_lines(self) -> dict[str, list[list[int]]]:
        """Where the stop reason is shown: the failing line of each target test still failing."""
        found: dict[str, list[list[int]]] = {}
        for test in self.record.targets or list(self.project.failures):
            failure = self.project.failures.get(test)
            if failure:
                rel, line = failure.locations()[0]
                found.setdefault(rel, []).append([line, line])
        return found

    async def deliver(self, snapshot: Snapshot) -> None:
        """Offer the final diff as a confirmed workspace edit, merged with the user's edits or refused."""
        await self.offer(snapshot, self.record.diff, self.record.security)

    async def offer(
        self, snapshot: Snapshot, diff: str, security: list[Finding], attempt: JudgedAttempt | None = None
    ) -> bool:
        """Offer `diff` (the final diff, or `attempt`'s) as a confirmed, versioned workspace edit, merged with the
        user's edits (the final one re-validated) or refused in one sentence; whether it was applied. Only the
        final diff counts for the run's fix cards."""
        project, record = self.project, self.record
        final = attempt is None
        what = "the fix" if attempt is None else f"attempt {attempt.number}"
        try:
            result = plan(snapshot, diff, project.current, project.uri_of)
            if result.merged and final:
                await self._revalidate(result.texts)
        except Refused as exc:
            self._message(types.MessageType.Warning, f"untilgreen: {exc}")
            return False
        document_changes, annotate = edit_support(self.ls.client_capabilities)
        if not document_changes and any(c.old is None for c in result.changes):
            self._message(
                types.MessageType.Warning,
                f"untilgreen: {what} creates a file, which this editor cannot "
                f"do through LSP; see the diff with untilgreen.showRun "
                f"{record.run_id}.",
            )
            return False
        warning = security_warning(security) if security else ""
        if warning and annotate:  # the preview shows the edit; the findings come first, as a warning
            self._message(types.MessageType.Warning, warning)
        if not annotate and not await self._ask(len(result.changes), warning, attempt):
            if final:
                await self._verdict(False)
            return False
        edit = workspace_edit(
            result.changes,
            annotate=annotate,
            label=f"untilgreen: {'fix' if final else what} ({record.run_id})"
            + (" ⚠ security findings" if warning else ""),
            document_changes=document_changes,
            description=(warning + ". " if warning else "")
            + (
                "Review the fix untilgreen found."
                if attempt is None
                else f"Review {what} of the run ({attempt.outcome})."
            ),
        )
        answer = await self.ls.workspace_apply_edit_async(
            types.ApplyWorkspaceEditParams(
                edit=edit, label="untilgreen: fix until green" if final else f"untilgreen: apply {what}"
            )
        )
        if final:
            await self._verdict(answer.applied)
        if not answer.applied:
            reason = answer.failure_reason or "declined"
            self._message(
                types.MessageType.Info, f"untilgreen: {what} was not applied ({reason}); nothing changed."
            )
            return False
        project.schedule_check(set(record.targets), *self._check_args())
        return True

    async def _verdict(self, accepted: bool) -> None:
        """The user's answer counts for the run's fix cards in memory (the team's too)."""
        from untilgreen.memory.verdict import record_verdict

        if not self.record.memory_run_id:
            return
        settings, _ = self._check_args()
        problem = await asyncio.to_thread(
            record_verdict, settings, self.project.root, self.record.memory_run_id, accepted
        )
        if problem:
            self._message(types.MessageType.Warning, f"untilgreen: {problem}")

    async def _revalidate(self, texts: dict[str, str]) -> None:
        overlays = {rel: text for rel, (_, text) in self.project.open_documents().items()} | texts
        result = await self.project.check_now(self.record.targets, overlays, self.overrides)
        if result.error or result.failures:
            raise Refused(
                "the fix merged with your edits does not make the tests pass; it was not applied, so "
                "nothing you typed is lost; run Fix until green again."
            )

    def _check_args(self) -> tuple[Any, dict[str, Any]]:
        return self.ls.settings_for(self.project), self.overrides

    async def _ask(self, files: int, warning: str = "", attempt: JudgedAttempt | None = None) -> bool:
        """Clients without change annotations cannot preview: ask before applying (a warning, with the security
        review's findings, when there are some)."""
        apply = types.MessageActionItem(title="Apply")
        answer = await self.ls.window_show_message_request_async(
            types.ShowMessageRequestParams(
                type=types.MessageType.Warning if warning else types.MessageType.Info,
                actions=[apply, types.MessageActionItem(title="Discard")],
                message=(
                    f"untilgreen made the tests green by changing {files} file{'s' if files != 1 else ''} "
                    if attempt is None
                    else f"Attempt {attempt.number} ({attempt.outcome}) changes {files} "
                    f"file{'s' if files != 1 else ''} "
                )
                + f"(run {self.record.run_id}). "
                + (f"{warning[len('untilgreen: ') :]}. " if warning else "")
                + ("Apply the fix?" if attempt is None else "Apply it?"),
            )
        )
        return answer is not None and answer.title == apply.title
