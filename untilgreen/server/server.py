"""The language server: creation and feature registration; each handler is a few lines calling the modules."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from untilgreen.server import actions, checks, commands, stores
from untilgreen.server import settings as editor_settings
from untilgreen.server.language_server import UntilgreenServer


server = UntilgreenServer()


@server.feature(types.INITIALIZE)
def initialize(ls: UntilgreenServer, params: types.InitializeParams) -> None:
    options = params.initialization_options
    ls.init_options = options if isinstance(options, dict) else {}
    ls.trusted = bool(ls.init_options.get("workspaceTrusted", True))


@server.feature(types.INITIALIZED)
async def initialized(ls: UntilgreenServer, params: types.InitializedParams) -> None:
    await ls.pull_configuration()


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(ls: UntilgreenServer, params: types.DidChangeConfigurationParams) -> None:
    settings = params.settings
    await ls.pull_configuration(settings.get(editor_settings.SECTION) if isinstance(settings, dict) else None)


@server.feature("untilgreen/trust")
def trust(ls: UntilgreenServer, params: Any) -> None:
    """The client reports workspace trust (`{"trusted": bool}`); checks on save start only when trusted."""
    ls.trusted = bool(getattr(params, "trusted", False))


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: UntilgreenServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.on_file_event(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: UntilgreenServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.on_file_event(params.text_document.uri)


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[
            types.CodeActionKind.QuickFix,
            types.CodeActionKind.RefactorRewrite,
            actions.FIX_ALL_KIND,
        ]
    ),
)
def code_action(ls: UntilgreenServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    project = ls.project_for(uri)
    rel = project.rel(uri) if project else None
    if project is None or rel is None:
        return None
    doc = ls.workspace.text_documents.get(uri)
    is_test = checks.is_test_file(rel)
    versions = {u: d.version for u, d in ls.workspace.text_documents.items()} if project.remembered else {}
    return actions.code_actions(
        uri,
        rel,
        doc.lines if doc and is_test else [],
        params,
        is_test_file=is_test,
        failing=project.failing,
        remembered=project.remembered,
        versions=versions,
        stopped=project.run.run_id if project.run is not None and project.run.resumable else "",
    )


@server.feature(types.WINDOW_WORK_DONE_PROGRESS_CANCEL)
async def progress_cancel(ls: UntilgreenServer, params: types.WorkDoneProgressCancelParams) -> None:
    project = ls.project_of_token(params.token)
    if project is not None:
        await project.cancel_run()


@server.feature(types.SHUTDOWN)
async def shutdown(ls: UntilgreenServer, params: None) -> None:
    for project in ls.projects.values():
        project.stop_checks()
        await project.cancel_run()
    stores.close_all()


commands.register(server)


def main() -> None:
    import logging

    logging.basicConfig(level=logging.WARNING, format="untilgreen-lsp: %(levelname)s %(message)s")  # stderr
    server.start_io()
