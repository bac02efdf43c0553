"""Fixtures shared with other test folders live in `tests/support` (the scripted model server, a failing project)."""

from __future__ import annotations

from tests.support.fixtures import index_dir, project, scripted_llm, shadow

__all__ = ["index_dir", "project", "scripted_llm", "shadow"]
