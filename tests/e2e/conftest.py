"""The real server over stdio (`python -m untilgreen lsp`), driven by pytest-lsp with VS Code's capabilities.

Each test gets a fresh project folder (`editor.root`); the client's `workspace/applyEdit` handler writes the
applied edit to disk. Settings come from `@pytest.mark.settings({...})` (camelCase, section `untilgreen`) and
initialization options from `@pytest.mark.init_options({...})`; `@pytest.mark.project("shop")` swaps the small
grading project for the LLM tests' failing shop project, `@pytest.mark.project("goal")` for goal mode's green one.
`untilgreen/attempt` and `untilgreen/run` notifications are collected on the editor in arrival order.
"""

from __future__ import annotations

import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.e2e.editor import Editor, plain, write_project
from tests.support.goal_project import write_project as write_goal_project
from tests.support.projects import failing_project

SERVER = [sys.executable, "-m", "untilgreen", "lsp"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "settings(dict): the editor's `untilgreen` settings for the e2e client"
    )
    config.addinivalue_line("markers", "init_options(dict): initializationOptions for the e2e client")
    config.addinivalue_line("markers", "capabilities(name): the client capabilities pytest-lsp should claim")
    config.addinivalue_line(
        "markers",
        "project(name): `shop` for the failing project of tests/support/projects, "
        "`goal` for the green one of tests/support/goal_project",
    )


def _marker(request: pytest.FixtureRequest, name: str, default: object) -> object:
    marker = request.node.get_closest_marker(name)
    return marker.args[0] if marker else default


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(
    lsp_client: LanguageClient, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
):
    base = tmp_path_factory.mktemp("project")
    name = _marker(request, "project", "")
    root = (
        failing_project(base).root
        if name == "shop"
        else write_goal_project(base / "textkit")
        if name == "goal"
        else write_project(base)
    )
    memory = root.parent / "memory.sqlite3"
    settings = {
        "memory": {"path": str(memory)},
        "sandbox": {"testTimeout": 10},
        **_marker(request, "settings", {}),
    }
    lsp_client.set_configuration(settings, section="untilgreen")
    editor = Editor(lsp_client, root)
    lsp_client._editor = editor  # the test reaches it through the `editor` fixture

    @lsp_client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        return editor.apply(params)

    @lsp_client.feature("untilgreen/attempt")
    def attempt(*args: object) -> None:  # pygls passes (client, params) for custom methods
        editor.notifications.append(("attempt", plain(args[-1])))

    @lsp_client.feature("untilgreen/run")
    def run(*args: object) -> None:
        editor.notifications.append(("run", plain(args[-1])))

    @lsp_client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)
    def ask(params: types.ShowMessageRequestParams) -> types.MessageActionItem | None:
        lsp_client.messages.append(params)
        return params.actions[0] if params.actions else None

    caps = client_capabilities(str(_marker(request, "capabilities", "visual-studio-code")))
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=caps,
            root_uri=from_fs_path(str(root)),
            workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(root)) or "", name=root.name)],
            initialization_options=_marker(request, "init_options", None),
        )
    )
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def editor(client: LanguageClient) -> Editor:
    return client._editor  # type: ignore[attr-defined]
