"""Redaction of secrets before text is stored or sent anywhere: API keys, tokens, passwords and `.env` values."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path

MASK = "[REDACTED]"
_MIN_EXTRA_SECRET = 6  # shorter .env values ("true", "8080") are too common to mask

_KNOWN_TOKENS = re.compile(
    r"""
      sk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}           # OpenAI / Anthropic
    | gh[pousr]_[A-Za-z0-9]{30,} | github_pat_[A-Za-z0-9_]{30,}
    | (?:AKIA|ASIA)[0-9A-Z]{16}                      # AWS access key id
    | xox[abposr]-[A-Za-z0-9-]{10,}                   # Slack
    | AIza[0-9A-Za-z_-]{35}                           # Google
    | glpat-[A-Za-z0-9_-]{20,}                        # GitLab
    | eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}   # JWT
    | -----BEGIN[ A-Z]*PRIVATE\ KEY-----[\s\S]*?-----END[ A-Z]*PRIVATE\ KEY-----
    """,
    re.VERBOSE,
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/-]{12,}=*")
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]+:)[^/\s@]{3,}(@)")
# name = value, name: value, "name": "value"; the callback checks that the name says it is secret.
_ASSIGNMENT = re.compile(
    r"""(?x)
    (?<![A-Za-z0-9_.-])(?P<name>[A-Za-z0-9_.-]+)
    (?P<sep>['"]?\s*[:=]\s*)
    (?P<q>['"]?)
    (?P<value>[A-Za-z0-9+/=_.~-]{8,})
    """
)
_SECRET_NAME = re.compile(r"(?i)api[_-]?key|secret|token|passw(?:or)?d|pwd|credential|private[_-]?key|auth")


def redact(text: str, extra_secrets: Iterable[str] = ()) -> str:
    """`text` with secrets replaced by `[REDACTED]`.

    Masks well-known token shapes, bearer/basic credentials, passwords in URLs, values assigned to names that say
    they are secret (quoted values, or unquoted values that look random), and every value in `extra_secrets`.
    """
    for secret in sorted({s for s in extra_secrets if len(s) >= _MIN_EXTRA_SECRET}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = _KNOWN_TOKENS.sub(MASK, text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + m.group(2), text)
    return _ASSIGNMENT.sub(_mask_named, text)


def _mask_named(m: re.Match[str]) -> str:
    value = m.group("value")
    secret_name = _SECRET_NAME.search(m.group("name"))
    if not secret_name or value == MASK.strip("[]") or not (m.group("q") or looks_random(value)):
        return m.group(0)
    return m.group("name") + m.group("sep") + m.group("q") + MASK


def looks_random(value: str) -> bool:
    """A long token with mixed character classes and high entropy (not an identifier like `settings_api_key`)."""
    if len(value) < 16:
        return False
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"\d"))
    counts = {c: value.count(c) for c in set(value)}
    entropy = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    return classes >= 2 and entropy >= 3.5


def env_secrets(root: Path) -> list[str]:
    """The values of the project's `.env` files (`.env`, `.env.local`, ...), to pass as `extra_secrets`."""
    values: list[str] = []
    for env in sorted(root.glob(".env*")):
        if not env.is_file():
            continue
        try:
            lines = env.read_text(errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            key, sep, value = line.removeprefix("export ").partition("=")
            if sep and key.strip() and not key.lstrip().startswith("#"):
                values.append(value.strip().strip("'\""))
    return [v for v in values if len(v) >= _MIN_EXTRA_SECRET]
