"""One workspace folder: its documents, the failing tests last seen, coverage, remembered fixes, diagnostic
checks (debounced, stale ones cancelled) and its one active run."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from untilgreen.errors import UserError
from untilgreen.server import checks
from untilgreen.server.actions import Remembered
from untilgreen.server.diagnostics import TESTS, DiagnosticSets, FailureInfo, failure_diagnostics
from untilgreen.server.edits import FileChange, workspace_edit
from untilgreen.server.runs import RunRecord
from untilgreen.settings import Settings

DEBOUNCE_S = 0.3
ALL: frozenset[str] = frozenset()  # a pending selection meaning "the whole suite"


class Project:
    def __init__(
        self,
        root: Path,
        workspace: Any,
        publish: Callable[[str, list[types.Diagnostic]], None],
        on_error: Callable[[str], None],
        edit_support: Callable[[], tuple[bool, bool]],
    ) -> None:
        self.root = root
        self.workspace = workspace  # pygls Workspace: the open documents
        self.edit_support = edit_support  # (documentChanges, change annotations) of the client
        self.on_error = on_error
        self.diagnostics = DiagnosticSets(publish, self.uri_of)
        self.failures: dict[str, FailureInfo] = {}
        self.coverage: dict[str, set[str]] = {}
        self.remembered: list[Remembered] = []
        self.run: RunRecord | None = None
        self.run_task: asyncio.Task[None] | None = None
        self._pending: set[str] | None = None  # test ids / files to check; empty set: everything
        self._check_task: asyncio.Task[None] | None = None

    # -- paths and documents ----------------------------------------------------------------------------------

    def uri_of(self, rel: str) -> str:
        return from_fs_path(str(self.root / rel)) or ""

    def rel(self, uri: str) -> str | None:
        path = to_fs_path(uri)
        if not path:
            return None
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None

    def open_documents(self) -> dict[str, tuple[int | None, str]]:
        """rel -> (version, text) of the open documents inside this folder."""
        found = {}
        for uri, doc in self.workspace.text_documents.items():
            rel = self.rel(uri)
            if rel is not None:
                found[rel] = (doc.version, doc.source)
        return found

    def current(self, rel: str) -> tuple[int | None, str | None]:
        """(version if open, text now) of a file: the open document, else the disk, else None."""
        doc = self.workspace.text_documents.get(self.uri_of(rel))
        if doc is not None:
            return doc.version, doc.source
        try:
            return None, (self.root / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None, None

    def line_text(self, rel: str, line: int) -> str | None:
        text = self.current(rel)[1]
        lines = text.splitlines() if text is not None else []
        return lines[line] if line < len(lines) else None

    # -- failures and diagnostics ------------------------------------------------------------------------------

    @property
    def failing(self) -> bool:
        return bool(self.failures)

    def record(self, result: checks.CheckResult) -> None:
        """Take a check's results: its selection's failures are replaced, the rest kept."""
        self.failures = {
            t: f for t, f in self.failures.items() if not checks.in_selection(t, result.selection)
        }
        self.failures.update({f.test_id: f for f in result.failures})
        for test in [t for t in self.coverage if checks.in_selection(t, result.selection)]:
            del self.coverage[test]
        self.coverage.update(result.coverage)
        self.remembered = [r for r in self.remembered if r.test_id in self.failures]
        self.diagnostics.replace(TESTS, failure_diagnostics(self.failures.values(), self.line_text))

    async def selection_for(self, rel: str, scope: str) -> set[str] | None:
        """What to check when `rel` is opened or saved under runOnSave=`scope`; None: nothing."""
        if scope == "project":
            return set(ALL)
        if checks.is_test_file(rel):
            return {rel}
        if not rel.endswith(".py"):
            return None
        covering = checks.covering_tests(self.coverage, rel)
        if covering:
            return set(covering)
        texts = {r: t for r, (_, t) in self.open_documents().items()}
        found = await asyncio.to_thread(checks.importing_tests, self.root, rel, texts)
        return set(found) or None

    def schedule_check(self, selection: set[str], settings: Settings, overrides: Mapping[str, Any]) -> None:
        """Check `selection` (empty: everything) after a short quiet time, together with what was pending; a
        check already running is stopped and its selection folded into the next."""
        if self._pending is not None:
            selection = set() if not selection or not self._pending else selection | self._pending
        self._pending = selection
        if self._check_task is not None and not self._check_task.done():
            self._check_task.cancel()
        self._check_task = asyncio.ensure_future(self._check_later(settings, overrides))

    async def _check_later(self, settings: Settings, overrides: Mapping[str, Any]) -> None:
        await asyncio.sleep(DEBOUNCE_S)
        selection = sorted(self._pending or ())
        overlays = {rel: text for rel, (_, text) in self.open_documents().items()}
        versions = self._versions()
        result = await checks.run_check(self.root, selection, overlays, overrides)
        self._pending = None
        if result.error:
            self.on_error(f"untilgreen could not run the tests: {result.error}")
            return
        self.record(result)
        await self._remember(settings, versions)

    async def check_now(
        self, selection: list[str], overlays: Mapping[str, str], overrides: Mapping[str, Any]
    ) -> checks.CheckResult:
        return await checks.run_check(self.root, selection, overlays, overrides)

    def stop_checks(self) -> None:
        if self._check_task is not None:
            self._check_task.cancel()

    # -- remembered fixes --------------------------------------------------------------------------------------

    def _versions(self) -> dict[str, int | None]:
        return {self.uri_of(rel): version for rel, (version, _) in self.open_documents().items()}

    async def _remember(self, settings: Settings, versions: dict[str, int | None]) -> None:
        """Look up remembered fixes for the failures (in a thread), as ready-made edits for `codeAction`."""
        from untilgreen.server.remembered import find_fixes

        failures = list(self.failures.values())
        if not failures:
            return
        texts = {rel: self.current(rel)[1] for rel in self.open_documents()}
        try:
            found = await asyncio.to_thread(
                find_fixes,
                self.root,
                settings,
                failures,
                lambda rel: texts[rel] if rel in texts else self.current(rel)[1],
            )
        except UserError as exc:  # a team server's sentence says what to do
            self.on_error(f"untilgreen could not read its memory: {exc}")
            return
        except Exception as exc:  # noqa: BLE001 - memory is a hint: a broken store must not break diagnostics
            self.on_error(f"untilgreen could not read its memory ({exc}); check memory.path.")
            return
        remembered = []
        document_changes, annotate = self.edit_support()
        for test_id, fix in found.items():
            changes = [
                FileChange(self.uri_of(rel), fix.bases[rel], text, versions.get(self.uri_of(rel)))
                for rel, text in fix.texts.items()
            ]
            if not document_changes and any(c.old is None for c in changes):
                continue  # creating files needs documentChanges
            edit = workspace_edit(
                changes,
                annotate=annotate,
                label="untilgreen: remembered fix",
                document_changes=document_changes,
            )
            title = "Apply remembered fix" + (f": {fix.summary}" if fix.summary else "")
            remembered.append(Remembered(test_id, title, edit, {c.uri: c.version for c in changes}))
        self.remembered = remembered

    # -- the active run ----------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.run_task is not None and not self.run_task.done()

    async def cancel_run(self) -> bool:
        if not self.running:
            return False
        assert self.run_task is not None
        self.run_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(self.run_task)
        return True
