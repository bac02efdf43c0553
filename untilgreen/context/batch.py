"""Chunking many files at once. A cold index of a large project spreads tree-sitter parsing (most of the cost)
over a process pool sized to the usable cores; a few changed files are chunked in-process, where a pool would
cost more to start than it saves."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from untilgreen.context.chunker import chunk_file
from untilgreen.context.model import Chunk
from untilgreen.context.terms import words

POOL_MIN_FILES = 64
_BATCHES_PER_WORKER = 8  # small enough batches that one huge file does not leave the other workers idle


@dataclass(frozen=True)
class Chunked:
    """One file's chunks and, for each, the words the full-text index holds (symbol words, body words)."""

    chunks: list[Chunk]
    fts: list[tuple[str, str]]


def chunk_source(path: str, source: str) -> Chunked:
    chunks = chunk_file(path, source)
    return Chunked(chunks, [(" ".join(words(c.symbol)), " ".join(words(c.text))) for c in chunks])


def chunk_all(sources: Sequence[tuple[str, str]], workers: int | None = None) -> Iterator[Chunked]:
    """`chunk_source` of every (path, source), in order."""
    workers = workers or usable_cores()
    done = 0
    if workers > 1 and len(sources) >= POOL_MIN_FILES:
        batch = max(1, len(sources) // (workers * _BATCHES_PER_WORKER))
        paths, texts = zip(*sources)
        try:
            with ProcessPoolExecutor(workers) as pool:
                for chunked in pool.map(chunk_source, paths, texts, chunksize=batch):
                    yield chunked
                    done += 1
        except (OSError, BrokenProcessPool):  # no semaphores in this sandbox, or a worker was killed
            pass
    yield from (chunk_source(path, source) for path, source in sources[done:])


def usable_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
