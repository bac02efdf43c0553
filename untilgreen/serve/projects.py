"""The project roots a server was started with: a request names one of them, never a path of its own choosing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from untilgreen.errors import UserError


class NotServed(Exception):
    """A request named a project the server does not serve; the message says which ones it does."""


@dataclass(frozen=True)
class Projects:
    roots: dict[str, Path]  # name (the folder's name, made unique) -> resolved root

    @classmethod
    def of(cls, paths: list[str]) -> Projects:
        if not paths:
            raise UserError("untilgreen serve needs at least one project root; pass --project PATH.")
        roots: dict[str, Path] = {}
        for path in paths:
            root = Path(path).expanduser().resolve()
            if not root.is_dir():
                raise UserError(f"--project {path} is not a directory; pass an existing project folder.")
            name, n = root.name or "root", 2
            while name in roots and roots[name] != root:
                name, n = f"{root.name}-{n}", n + 1
            roots[name] = root
        return cls(roots)

    def resolve(self, project: object) -> tuple[str, Path]:
        """The (name, root) a request's `project` names: a served root's name or its exact path."""
        if isinstance(project, str) and project:
            if project in self.roots:
                return project, self.roots[project]
            try:
                path = Path(project).expanduser().resolve()
            except (ValueError, OSError, RuntimeError):  # a NUL byte, a loop of links
                path = None
            for name, root in self.roots.items():
                if path == root:
                    return name, root
        served = ", ".join(self.roots)
        raise NotServed(
            f"project {str(project)[:200]!r} is not one this server runs in; name one of its --project roots: "
            f"{served}."
        )
