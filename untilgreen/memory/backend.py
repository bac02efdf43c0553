"""What the store needs of a database and of its vector index: the SQLite file and PostgreSQL both provide it.

Statements are written once, with `?` placeholders and SQL that both understand (`ON CONFLICT DO NOTHING`,
no `INSERT OR ...`); what differs lives behind these methods: new-row ids, the lexical index, the vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from untilgreen.memory.embed import Embedder


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

    def insert(self, sql: str, params: Sequence[Any], key: str = "id") -> int | None:
        """Run an INSERT (possibly `ON CONFLICT DO NOTHING`); the new row's `key`, or None if none was added."""
        ...

    def index_card(self, num: int, project: str, sig_text: str, summary: str) -> None: ...

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

    def add(self, sig_id: int, project: str, text: str, has_fix: bool = False) -> None: ...

    def set_has_fix(self, sig_id: int, has_fix: bool) -> None: ...

    def query(self, text: str) -> Any: ...

    def knn(self, query: Any, k: int, project: str | None, *, prefilter: bool = True) -> dict[int, float]: ...

    def similarity(self, query: Any, sig_ids: list[int]) -> dict[int, float]: ...
