"""BM25 for chunks kept outside the FTS5 table (unsaved buffers), scored as the table's `bm25()` scores its rows.

Overlay chunks live in memory only, so the FTS5 table cannot rank them. Each one is scored here with FTS5's
formula (k1 = 1.2, b = 0.75, column weights, IDF floored at 1e-6) and with the table's own statistics: its
row count and token total (read from the FTS5 "averages" record, as `bm25()` reads them) and, per query
phrase, the number of rows that match it. Overlay and stored scores are then on one scale and merge into one
ranking. The statistics still count the buffer's file as it is on disk: one file among the project's. (A
temporary FTS5 table of the overlay chunks would rank them by its own statistics, those of a few chunks, on a
scale that does not compare with the stored table's.)
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

K1 = 1.2
B = 0.75
_SEPARATORS = re.compile(r"[\W_]+")  # FTS5's unicode61 tokenizer keeps letters and digits, splits on the rest


def tokens(text: str) -> tuple[str, ...]:
    """`text` as FTS5's default tokenizer splits it: lowercased, diacritics removed, split at non-alphanumerics."""
    text = text.lower()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return tuple(t for t in _SEPARATORS.split(text) if t)


@dataclass(frozen=True)
class Document:
    """One chunk's full-text columns, tokenized."""

    columns: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, *columns: str) -> Document:
        return cls(tuple(tokens(c) for c in columns))

    @property
    def length(self) -> int:
        return sum(len(c) for c in self.columns)

    def frequency(self, phrase: tuple[str, ...], weights: Sequence[float]) -> float:
        """Instances of `phrase` in each column, weighted by column, as FTS5 counts them for bm25()."""
        if not phrase:
            return 0.0
        width = len(phrase)
        return sum(
            weight * sum(1 for i in range(len(column) - width + 1) if column[i : i + width] == phrase)
            for weight, column in zip(weights, self.columns)
            if phrase[0] in column
        )


def varints(data: bytes) -> list[int]:
    """SQLite varints (big-endian, 7 bits a byte, the ninth byte whole), as FTS5 writes its records."""
    values, i = [], 0
    while i < len(data):
        value = 0
        for n in range(9):
            byte = data[i]
            i += 1
            if n == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                break
        values.append(value)
    return values


def idf(rows: int, hits: int) -> float:
    value = math.log((rows - hits + 0.5) / (hits + 0.5))
    return value if value > 0 else 1e-6


def score(frequencies: Sequence[float], idfs: Sequence[float], length: int, average_length: float) -> float:
    """FTS5's bm25() of one row, positive (the table returns it negated)."""
    norm = K1 * (1 - B + B * length / average_length) if average_length else K1
    return sum(w * f * (K1 + 1) / (f + norm) for f, w in zip(frequencies, idfs) if f)
