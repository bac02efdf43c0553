"""The providers the README documents and the environment variable each reads its API key from."""

from __future__ import annotations

# litellm's own key variables for the providers the README documents; None: the provider takes no key.
KEY_ENVS: dict[str, str | None] = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "ollama": None,
    "ollama_chat": None,
}
