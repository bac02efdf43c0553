"""What a run is asked to do, and how that request travels as JSON to a worker process."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from untilgreen.errors import UserError
from untilgreen.settings import Settings, as_dict, load_settings


@dataclass
class RunRequest:
    """`targets` are test ids to make pass (empty: every test failing at baseline); `overlays` map paths relative
    to `root` to the text of unsaved editor buffers; settings are already layered."""

    root: Path
    targets: list[str] = field(default_factory=list)
    overlays: dict[str, str] = field(default_factory=dict)
    mode: Literal["fix", "goal"] = "fix"
    goal: str = ""
    settings: Settings = field(default_factory=Settings)
    file: str = ""  # goal mode: the file the goal is about, relative to `root` (shown whole to the model)
    resume: str = ""  # the id of a stopped run to resume (agent.resume): its targets replace `targets`

    def to_json(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "targets": list(self.targets),
            "overlays": dict(self.overlays),
            "mode": self.mode,
            "goal": self.goal,
            "file": self.file,
            "resume": self.resume,
            "settings": as_dict(self.settings),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, origin: str = "the run request") -> RunRequest:
        """Settings in `data` are overrides layered over the project's own (as CLI flags or editor settings are)."""
        try:
            root = Path(data["root"]).expanduser().resolve()
        except (KeyError, TypeError):
            raise UserError(f"{origin} has no `root`; send the project folder as an absolute path.") from None
        if not root.is_dir():
            raise UserError(f"{origin} names {root}, which is not a folder; send an existing project folder.")
        mode = data.get("mode", "fix")
        if mode not in ("fix", "goal"):
            raise UserError(f'{origin} has mode {mode!r}; use "fix" or "goal".')
        settings, _ = load_settings(root, overrides=data.get("settings") or {}, overrides_origin=origin)
        return cls(
            root=root,
            targets=[str(t) for t in data.get("targets") or []],
            overlays={str(k): str(v) for k, v in (data.get("overlays") or {}).items()},
            mode=mode,
            goal=str(data.get("goal", "")),
            file=str(data.get("file", "")),
            resume=str(data.get("resume") or ""),
            settings=settings,
        )
