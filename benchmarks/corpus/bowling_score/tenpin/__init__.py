"""Ten-pin bowling: frames, running scores and printed score sheets."""

from .sheet import ScoreSheet

__all__ = ["ScoreSheet"]
