"""pytest fixtures for LLM tests. Use them from a conftest: `from tests.support.fixtures import *  # noqa`.

- `scripted_llm(*turns, **options)` starts a `ScriptedLLM` (closed after the test);
- `project` is a `FailingProject` under the test's temporary folder;
- `shadow` is a shadow `Workspace` of it (with a private cache), `index_dir` a private context-index folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.projects import FailingProject, failing_project
from tests.support.scripted_llm import ScriptedLLM
from untilgreen.sandbox import Workspace

__all__ = ["index_dir", "project", "scripted_llm", "shadow"]


@pytest.fixture
def scripted_llm() -> Iterator[Callable[..., ScriptedLLM]]:
    servers: list[ScriptedLLM] = []

    def start(*turns: Any, **options: Any) -> ScriptedLLM:
        servers.append(ScriptedLLM(*turns, **options))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def project(tmp_path: Path) -> FailingProject:
    return failing_project(tmp_path)


@pytest.fixture
def shadow(project: FailingProject, tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.create(project.root, cache_dir=tmp_path / "shadow-cache") as workspace:
        yield workspace


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index-cache"
