"""Writing an accepted patch to the user's files, only if none of them changed since the run started."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from untilgreen.agent.result import FileChange, sha256
from untilgreen.errors import UserError


def write_back(root: Path, files: Sequence[FileChange]) -> list[str]:
    """Apply `files` under `root`; every file is checked before any is written, so a refusal changes nothing.
    Returns the paths written."""
    for change in files:
        path = root / change.path
        try:
            current: str | None = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = None
        except (OSError, UnicodeDecodeError) as err:
            raise UserError(f"{change.path} cannot be read ({err}); re-run untilgreen fix.") from None
        if sha256(current) != change.start_sha256:
            raise UserError(f"{change.path} changed during the run; re-run untilgreen fix.")
    for change in files:
        path = root / change.path
        if change.text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.untilgreen-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(change.text)
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return [change.path for change in files]
