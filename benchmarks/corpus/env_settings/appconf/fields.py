"""Setting declarations."""

from dataclasses import dataclass
from typing import Any, Callable


def parse_bool(text):
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"not a boolean: {text!r}")


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    parse: Callable[[str], Any] = str
    secret: bool = False

    @property
    def env_name(self):
        return "APP_" + self.name.upper()
