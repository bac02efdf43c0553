"""The provider's prompt cache: the start of the prompt that stays the same across a run's attempts is marked.

Anthropic caches only what the request marks (`cache_control`), and bills a cached read at a tenth of the input
price; litellm passes the mark through. OpenAI caches long prefixes on its own, and others not at all, so only
Anthropic's requests are marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MARKED_PROVIDERS = ("anthropic",)
_EPHEMERAL = {"type": "ephemeral"}  # Anthropic's one cache kind: kept five minutes after each use


def mark_stable_start(messages: Sequence[dict[str, Any]], model: str) -> list[dict[str, Any]]:
    """`messages` with the system message, and the first user message when another follows it (the task,
    failures and code, see `prompt.render_prompt`), marked for the cache of `model`'s provider."""
    if model.partition("/")[0] not in MARKED_PROVIDERS:
        return list(messages)
    users = [i for i, m in enumerate(messages) if m["role"] == "user"]
    stable = {i for i, m in enumerate(messages) if m["role"] == "system"}
    if len(users) > 1:
        stable.add(users[0])
    return [_marked(m) if i in stable else dict(m) for i, m in enumerate(messages)]


def _marked(message: dict[str, Any]) -> dict[str, Any]:
    return {
        **message,
        "content": [{"type": "text", "text": message["content"], "cache_control": dict(_EPHEMERAL)}],
    }
