"""What must never reach a model: the content of secret files, and the values the project keeps in `.env`."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from untilgreen.memory.redact import env_secrets

if TYPE_CHECKING:
    from untilgreen.sandbox.workspace import Workspace

_SECRET_FILE = re.compile(
    r"""(?ix)^(?:
        \.env.* | .*\.(?:pem|key|p12|pfx|keystore|jks) | id_(?:rsa|dsa|ecdsa|ed25519).*
      | credentials.* | secrets?\..* | \.netrc | \.pypirc | \.npmrc | \.pgpass | \.htpasswd
    )$"""
)
# A section of a packed context starts with a heading naming a chunk id or a path, then opens a fence.
_SECTION = re.compile(r"\n\n(?=### [^\n]*\n(?:```|~~~))")
_SECTION_PATH = re.compile(r"### (\S+?)(?:::|\s|$)")
_DIFF_FILE = re.compile(r"(?m)^(?=diff --git )")
_DIFF_PATH = re.compile(r"diff --git a/(\S+) b/(\S+)")


def is_secret_path(path: str) -> bool:
    """Files whose content is never shown to a model: `.env*`, keys, certificates, credentials, secrets."""
    return bool(_SECRET_FILE.match(PurePosixPath(path).name))


def without_secret_sections(rendered: str) -> str:
    """A packed context without the sections of secret files."""
    sections = _SECTION.split(rendered)
    kept = [s for s in sections if not ((m := _SECTION_PATH.match(s)) and is_secret_path(m.group(1)))]
    return "\n\n".join(kept)


def without_secret_diffs(diff: str) -> str:
    """A git-style diff without the files that are secret."""
    parts = _DIFF_FILE.split(diff)
    return "".join(
        p for p in parts if not ((m := _DIFF_PATH.match(p)) and any(map(is_secret_path, m.groups())))
    )


def project_secrets(workspace: Workspace) -> list[str]:
    """The values of every `.env*` file of the project (its root and the shadow, any folder)."""
    folders = {"."} | {
        str(PurePosixPath(f).parent) for f in workspace.files() if PurePosixPath(f).name.startswith(".env")
    }
    values: set[str] = set()
    for base in dict.fromkeys((Path(workspace.root), Path(workspace.path))):
        for folder in folders:
            values.update(env_secrets(base / folder))
    return sorted(values)
