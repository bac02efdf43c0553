"""What the store needs of a database and of its vector index: the SQLite file and PostgreSQL both provide it.

Statements are written once, with `?` placeholders and SQL that both understand (`ON CONFLICT DO NOTHING`,
no `INSERT OR ...`; multi-row `VALUES` with `RETURNING` for batches); what differs lives behind these methods:
transactions, the lexical index, the vectors and how a large batch is indexed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

from untilgreen.memory.embed import Embedder

T = TypeVar("T")
CHUNK = 500  # rows per multi-row statement: far below either database's limit on parameters


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def rows_marks(rows: int, columns: int) -> str:
    """The `VALUES` of a multi-row statement: `(?, ?), (?, ?)`."""
    return ", ".join(["(" + ", ".join("?" * columns) + ")"] * rows)


NewSignature = tuple[int, str, str, bool]  # id, project, (redacted) text, has a usable fix card


class Database(Protocol):
    backend: str  # "sqlite" or "postgresql"

    @property
    def location(self) -> str:
        """The file, or the server and database (never a password), for messages."""
        ...

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

    def transaction(self) -> AbstractContextManager[Any]:
        """All statements inside commit together or not at all; nested use joins the outer one."""
        ...

    def index_cards(self, rows: Sequence[tuple[int, str, str, str]]) -> None:
        """Make new fix cards findable by their words: (num, project, signature text, summary) each."""
        ...

    def unindex_card(self, num: int) -> None: ...

    def lexical_hits(
        self, terms: list[str], project: str | None, signature_only: bool, limit: int
    ) -> list[int]:
        """Signature ids of the newest non-rejected fix cards whose text has every one of `terms`."""
        ...

    def describe(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


class VectorIndex(Protocol):
    embedder: Embedder

    def ensure(self) -> bool: ...

    def add(self, rows: Sequence[NewSignature]) -> None:
        """Embed new signatures (inside the caller's transaction)."""
        ...

    def set_has_fix(self, sig_ids: Sequence[int], has_fix: bool) -> None: ...

    def bulk(self, cards: int) -> AbstractContextManager[Any]:
        """Around the transaction that adds `cards` fix cards: what makes a large batch cheaper to index."""
        ...

    def build_index(self) -> bool:
        """Build the approximate-nearest-neighbour index if it is missing; True if built."""
        ...

    def query(self, text: str) -> Any: ...

    def knn(self, query: Any, k: int, project: str | None, *, prefilter: bool = True) -> dict[int, float]: ...

    def similarity(self, query: Any, sig_ids: list[int]) -> dict[int, float]: ...
