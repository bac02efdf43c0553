"""Localization: combine traceback frames, SBFL, lexical match, references and memory hints into one
ranking of chunks, each with its score and the reasons behind it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from untilgreen.context.lexical import failure_terms, lexical_scores
from untilgreen.context.model import Chunk, Hint, chunk_id, split_test_id
from untilgreen.context.paths import is_test_path
from untilgreen.context.references import referenced
from untilgreen.context.sbfl import ochiai_lines
from untilgreen.context.store import Store
from untilgreen.sandbox.results import Failure, TestReport

# How much each kind of evidence counts; a chunk's score is the weighted sum of its signals (each 0..1).
WEIGHTS = {"frame": 3.0, "sbfl": 2.0, "hint": 2.0, "reference": 1.0, "lexical": 1.0}


@dataclass
class _Evidence:
    score: float = 0.0
    reasons: list[tuple[float, str]] = field(default_factory=list)

    def add(self, signal: str, strength: float, reason: str) -> None:
        points = WEIGHTS[signal] * strength
        self.score += points
        self.reasons.append((points, reason))

    @property
    def why(self) -> str:
        return "; ".join(reason for _, reason in sorted(self.reasons, key=lambda r: -r[0]))


class _LineMap:
    """Finds the innermost chunk holding a line of a file, loading each file's chunks once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.by_path: dict[str, list[Chunk]] = {}

    def chunk_at(self, path: str, line: int) -> Chunk | None:
        if path not in self.by_path:
            self.by_path[path] = sorted(self.store.chunks(path), key=lambda c: c.end - c.start)
        return next((c for c in self.by_path[path] if c.start <= line <= c.end), None)


def failing_tests(store: Store, failures: Sequence[Failure]) -> list[Chunk]:
    """The chunks of the failing tests, where the index has them."""
    ids = [chunk_id(*split_test_id(f.test_id)) for f in failures]
    found = store.chunks_by_id(ids)
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def rank(
    store: Store, report: TestReport, targets: Sequence[str] | None = None, hints: Sequence[Hint] = ()
) -> tuple[list[Chunk], list[Chunk]]:
    """(ranked non-test chunks with score and why, best first; the failing tests' chunks)."""
    failures = [f for f in report.failures if targets is None or f.test_id in targets]
    tests = failing_tests(store, failures)
    evidence: dict[str, _Evidence] = defaultdict(_Evidence)
    lines = _LineMap(store)

    for failure in failures:
        frames = [f for f in reversed(failure.project_frames) if not is_test_path(f.file)]
        for depth, frame in enumerate(frames):
            chunk = lines.chunk_at(frame.file, frame.line)
            if chunk is not None:
                where = "deepest project frame" if depth == 0 else f"traceback frame {depth + 1} from the top"
                evidence[chunk.id].add(
                    "frame",
                    1.0 / (depth + 1),
                    f"{where} of {failure.test_id} ({failure.exc_type} at line {frame.line})",
                )

    best_line: dict[str, tuple[float, int]] = {}
    for (path, line), suspicion in ochiai_lines(report, [f.test_id for f in failures]).items():
        chunk = lines.chunk_at(path, line) if not is_test_path(path) else None
        if chunk is not None and suspicion > best_line.get(chunk.id, (0.0, 0))[0]:
            best_line[chunk.id] = (suspicion, line)
    for cid, (suspicion, line) in best_line.items():
        evidence[cid].add(
            "sbfl", suspicion, f"Ochiai {suspicion:.2f} at line {line} (coverage of failing vs passing tests)"
        )

    for cid, (strength, matched) in lexical_scores(store, failure_terms(failures, tests)).items():
        evidence[cid].add("lexical", strength, f"lexical match ({', '.join(matched[:5])})")

    for cid, (strength, reason) in referenced(store, tests).items():
        evidence[cid].add("reference", strength, reason)

    for hint in hints:
        for cid in _resolve(store, hint.symbol_id):
            evidence[cid].add("hint", max(0.0, min(hint.weight, 1.0)), f"memory: {hint.reason}")

    chunks = store.chunks_by_id(evidence)
    ranked = [chunks[cid].scored(e.score, e.why) for cid, e in evidence.items() if cid in chunks]
    ranked.sort(key=lambda c: (-c.score, c.kind == "class", c.end - c.start, c.id))
    return ranked, tests


def _resolve(store: Store, symbol_id: str) -> list[str]:
    if "::" in symbol_id:
        return list(store.chunks_by_id([symbol_id]))
    return store.chunk_ids_for_symbol(symbol_id)
