"""The language server's state: its workspace folders as projects, the editor's settings, the runs it started."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from untilgreen import __version__
from untilgreen.errors import ConfigError
from untilgreen.server import settings as editor_settings
from untilgreen.server.driver import RunDriver
from untilgreen.server.edits import edit_support
from untilgreen.server.progress import new_token
from untilgreen.server.project import Project
from untilgreen.server.runs import RunRecord
from untilgreen.settings import Settings


class UntilgreenServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("untilgreen", __version__)
        self.init_options: dict[str, Any] = {}
        self.overrides: dict[str, Any] = {}
        self.trusted = True
        self.projects: dict[Path, Project] = {}
        self.runs: dict[str, RunRecord] = {}
        self._tasks: set[asyncio.Task[None]] = set()  # background tasks, referenced until done
        self.configured = asyncio.Event()  # set once the first settings arrived (documents may open before)

    def show(self, kind: types.MessageType, text: str) -> None:
        self.window_show_message(types.ShowMessageParams(type=kind, message=text))

    def error(self, text: str) -> None:
        self.show(types.MessageType.Error, text)

    def project_for(self, uri: str | None) -> Project | None:
        """The workspace folder holding `uri` (the innermost), else the only folder; created on first use."""
        roots = [Path(to_fs_path(f.uri) or "").resolve() for f in self.workspace.folders.values()]
        if not roots and self.workspace.root_path:
            roots = [Path(self.workspace.root_path).resolve()]
        path = Path(to_fs_path(uri) or "").resolve() if uri else None
        holding = [r for r in roots if path is None or path == r or r in path.parents]
        if not holding:
            return None
        root = max(holding, key=lambda r: len(r.parts)) if path else holding[0]
        if root not in self.projects:
            self.projects[root] = Project(
                root,
                self.workspace,
                self._publish,
                self.error,
                lambda: edit_support(self.client_capabilities),
            )
        return self.projects[root]

    def _publish(self, uri: str, diagnostics: list[types.Diagnostic]) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics)
        )

    def settings_for(self, project: Project) -> Settings:
        """Raises ConfigError (one sentence naming the key) for a bad editor or project setting."""
        settings, warnings = editor_settings.resolve(project.root, self.overrides)
        for warning in warnings:
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=warning))
        return settings

    async def pull_configuration(self, pushed: Any = None) -> None:
        """The editor's settings, whole: the client's answer to `workspace/configuration` (its current settings, so a
        setting the user removed is gone); without one, what didChangeConfiguration sent, else initializationOptions.
        A run in progress keeps the settings it started with."""
        try:
            caps = self.client_capabilities.workspace
            if caps and caps.configuration:
                pulled = await self.workspace_configuration_async(
                    types.ConfigurationParams(
                        items=[types.ConfigurationItem(section=editor_settings.SECTION)]
                    )
                )
                pushed = pulled[0] if pulled else None
            self.overrides = editor_settings.overrides_from(self.init_options if pushed is None else pushed)
            for project in list(self.projects.values()) or filter(None, [self.project_for(None)]):
                self.settings_for(project)
        except ConfigError as exc:
            self.error(f"untilgreen: {exc}")
        finally:
            self.configured.set()

    def on_file_event(self, uri: str) -> None:
        """Open/save: check the relevant tests when runOnSave allows it and the workspace is trusted."""
        task = asyncio.ensure_future(self._check_for(uri))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _check_for(self, uri: str) -> None:
        await self.configured.wait()
        project = self.project_for(uri)
        rel = project.rel(uri) if project else None
        if project is None or rel is None or not self.trusted:
            return
        try:
            settings = self.settings_for(project)
        except ConfigError:
            return  # reported when the settings arrived
        if settings.run_on_save == "off":
            return
        selection = await project.selection_for(rel, settings.run_on_save)
        if selection is not None:
            project.schedule_check(selection, settings, self.overrides)

    def start_run(
        self,
        project: Project,
        targets: list[str],
        mode: str = "fix",
        goal: str = "",
        file: str = "",
        resume: str = "",
    ) -> dict[str, Any]:
        """Start a run in the background and answer at once with its id; one run per folder at a time.
        `resume`: the memory run id of a stopped run the worker continues (`fix --resume`)."""
        if project.running:
            assert project.run is not None
            self.show(
                types.MessageType.Warning,
                f"untilgreen: a run is in progress ({project.run.run_id}); wait for it or cancel it first.",
            )
            return {"runId": None, "error": "a run is in progress"}
        try:
            self.settings_for(project)
        except ConfigError as exc:
            self.error(f"untilgreen: {exc}")
            return {"runId": None, "error": str(exc)}
        record = RunRecord(f"run-{uuid.uuid4().hex[:8]}", project.root, targets, new_token())
        self.runs[record.run_id] = project.run = record
        driver = RunDriver(self, project, record, dict(self.overrides), mode, goal, file, resume)
        project.run_task = asyncio.ensure_future(driver.run())
        return {"runId": record.run_id}

    def project_of_token(self, token: Any) -> Project | None:
        return next((p for p in self.projects.values() if p.run and p.run.token == token and p.running), None)
