"""Editor settings: section `untilgreen`, camelCase keys mirroring `Settings` (`apiBase`, `sandbox.testTimeout`).

They arrive in initializationOptions, from `workspace/configuration` and with `didChangeConfiguration`; they are
trusted like CLI flags and layered over the user's config, the project's pyproject and the environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from untilgreen.errors import ConfigError
from untilgreen.settings import Settings, flatten, load_settings

SECTION = "untilgreen"
ORIGIN = "the editor settings (untilgreen.*)"
CLIENT_KEYS = ("workspaceTrusted",)  # initializationOptions keys that are about the client, not Settings


def overrides_from(raw: Any) -> dict[str, Any]:
    """Dotted overrides from an editor payload: `{"untilgreen": {...}}` or the section itself; nulls are unset."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ConfigError(
            f"{ORIGIN} must be an object of settings, got {raw!r}; fix your editor configuration."
        )
    table = raw[SECTION] if isinstance(raw.get(SECTION), Mapping) else raw
    table = {k: v for k, v in table.items() if k not in CLIENT_KEYS}
    return {name: value for name, value in flatten(table).items() if value is not None}


def resolve(root: Path, overrides: Mapping[str, Any]) -> tuple[Settings, list[str]]:
    """The project's Settings with the editor's values on top; raises ConfigError naming a bad key or value."""
    return load_settings(root, overrides=overrides, overrides_origin=ORIGIN)
