"""The providers the README documents, and what litellm makes of the `model` setting: the provider it calls,
where, with which key, and what is missing (for `untilgreen doctor`).

Importing litellm takes seconds, so only `describe` does it.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from untilgreen.settings import Settings

# litellm's own key variables for the providers the README documents; None: the provider takes no key.
KEY_ENVS: dict[str, str | None] = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "ollama": None,
    "ollama_chat": None,
}
OLLAMA_BASE = "http://localhost:11434"  # litellm's default for both Ollama providers
OLLAMA_PROVIDERS = ("ollama", "ollama_chat")
_OLLAMA_BASE_ENV = "OLLAMA_API_BASE"
_pinned_ollama_base: str | None = None  # the value this process put in OLLAMA_API_BASE, if any


@dataclass(frozen=True)
class Provider:
    name: str | None  # litellm's provider ("anthropic", "ollama_chat", ...); None if it knows none
    api_base: str | None  # where the calls go; None: the provider's public API
    key_needed: bool  # False for Ollama and a local OpenAI-compatible server (the client sends a placeholder)
    key_env: (
        str | None
    )  # the variable holding the key; None: none needed, or litellm's own for other providers
    key_set: bool  # whether the key is set (its value is never shown)
    price_known: bool  # whether litellm has a price for the model (else runs report the cost as unknown)
    missing: list[str] = field(default_factory=list)  # one sentence each

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def describe(settings: Settings) -> Provider:
    from untilgreen.models.llm.litellm_import import litellm_module

    litellm = litellm_module()
    point_ollama_lookups(settings)
    try:
        _, name, _, base = litellm.get_llm_provider(settings.model, api_base=settings.api_base or None)
    except Exception:  # noqa: BLE001 - litellm raises for a model string it cannot route
        name, base = None, None
    env = settings.api_key_env or KEY_ENVS.get(name or "")
    key_needed = _needs_key(settings, name)
    missing: list[str] = []
    if name is None:
        missing.append(
            f"litellm knows no provider for `{settings.model}`; write the model as <provider>/<name>, "
            "e.g. anthropic/claude-sonnet-4-5, ollama_chat/llama3.1 or openai/<name> with `api_base`."
        )
    if key_needed and env:
        key_set = bool(os.environ.get(env, "").strip())
        missing += [] if key_set else [f"{env} is not set; export the API key in it."]
    elif key_needed and name:  # another provider: litellm knows the variables it reads
        lacking = litellm.validate_environment(settings.model)["missing_keys"]
        key_set = not lacking
        missing += [f"{k} is not set; export it." for k in lacking]
    else:
        env, key_set = None, False
    try:
        litellm.completion_cost(model=settings.model, prompt="a", completion="b")
        price_known = True
    except Exception:  # noqa: BLE001 - litellm raises for models it has no price for
        price_known = False
    base = settings.api_base or base or (OLLAMA_BASE if name in OLLAMA_PROVIDERS else None)
    return Provider(name, base, key_needed, env, key_set, price_known, missing)


def point_ollama_lookups(settings: Settings) -> None:
    """Send litellm's Ollama model lookups to the configured server.

    Before each Ollama call, and when pricing one, litellm asks an Ollama server for the model's details
    (`/api/show`) without the call's `api_base`: it asks `OLLAMA_API_BASE`, else localhost:11434. Where nothing
    answers there at once (no loopback name, a firewall that drops), every call waits out that lookup first.
    A user's own `OLLAMA_API_BASE` is kept; a value this process set is replaced, or removed when the settings
    no longer name an Ollama server (litellm would otherwise send later calls there).
    """
    global _pinned_ollama_base
    current = os.environ.get(_OLLAMA_BASE_ENV)
    ours = current is not None and current == _pinned_ollama_base
    if settings.model.partition("/")[0] in OLLAMA_PROVIDERS and settings.api_base:
        if current is None or ours:
            os.environ[_OLLAMA_BASE_ENV] = _pinned_ollama_base = settings.api_base
    elif ours:
        del os.environ[_OLLAMA_BASE_ENV]
        _pinned_ollama_base = None


def _needs_key(settings: Settings, name: str | None) -> bool:
    """Ollama takes no key, nor does a local OpenAI-compatible server (the client sends a placeholder)."""
    if settings.api_key_env:
        return True
    if name == "openai" and settings.api_base:
        return False
    return name is not None and KEY_ENVS.get(name, "") is not None
