"""The context engine's plain data: chunks of code, memory hints and a packed context."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

ChunkKind = Literal["function", "method", "class", "type", "variable", "module"]


@dataclass(frozen=True)
class Chunk:
    """One piece of code. Lines are 1-based and inclusive; `id` is `path::Qualified.name`.

    A class chunk's `text` keeps the class's own statements and shows its methods (which are chunks of their
    own) as skeletons. `header` holds the signatures of the enclosing classes of a method, `skeleton` the
    chunk with bodies elided. `score` and `why` are set by localization.
    """

    id: str
    path: str
    symbol: str
    kind: ChunkKind
    start: int
    end: int
    text: str
    score: float = 0.0
    why: str = ""
    header: str = ""
    skeleton: str = ""

    @property
    def name(self) -> str:
        """The last component of the symbol, without a `#2` redefinition suffix."""
        return self.symbol.split("#", 1)[0].rsplit(".", 1)[-1]

    def scored(self, score: float, why: str) -> Chunk:
        return replace(self, score=score, why=why)

    def summary(self) -> dict[str, Any]:
        """The JSON shape of the `context` command."""
        return {
            "id": self.id,
            "path": self.path,
            "symbol": self.symbol,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
            "why": self.why,
        }


@dataclass(frozen=True)
class Hint:
    """A symbol memory suggests: a chunk id (`path::Symbol`) or a bare qualified symbol."""

    symbol_id: str
    weight: float
    reason: str


@dataclass
class Context:
    """What a repairer is shown.

    `chunks` are the ranked chunks packed whole, best first; `tests` the failing tests' source (always packed);
    `ranked` the full ranking, including chunks that did not fit; `rendered` the text for a prompt.
    """

    chunks: list[Chunk]
    tokens: int
    rendered: str
    tests: list[Chunk] = field(default_factory=list)
    ranked: list[Chunk] = field(default_factory=list)


def chunk_id(path: str, symbol: str) -> str:
    return f"{path}::{symbol}"


def split_test_id(test_id: str) -> tuple[str, str]:
    """`tests/test_a.py::TestX::test_y[1]` -> (`tests/test_a.py`, `TestX.test_y`)."""
    path, _, rest = test_id.partition("::")
    return path, rest.split("[", 1)[0].replace("::", ".")
