"""Localization: combine traceback frames, SBFL, lexical match, references and memory hints into one
ranking of chunks, each with its score and the reasons behind it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from untilgreen.context.lexical import lexical_scores, message_terms, test_terms
from untilgreen.context.mentions import mentioned_locations
from untilgreen.context.model import Chunk, Hint, chunk_id, split_test_id
from untilgreen.context.paths import is_test_path
from untilgreen.context.references import CONTAINERS, referenced
from untilgreen.context.sbfl import ochiai_lines
from untilgreen.context.store import Store
from untilgreen.sandbox.results import Failure, TestReport

# How much each kind of evidence counts; a chunk's score is the weighted sum of its signals (each 0..1).
# The words of the failure message are more specific than those of the test's source.
WEIGHTS = {"frame": 3.0, "sbfl": 3.0, "hint": 2.0, "reference": 1.0, "message": 1.0, "test words": 0.25}
# A class or type chunk is mostly a container whose methods are ranked on their own: its words count less.
CONTAINER_LEXICAL = 0.5


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
        for depth, (path, line) in enumerate(_locations(store, failure)):
            chunk = lines.chunk_at(path, line)
            if chunk is not None:
                where = "deepest project frame" if depth == 0 else f"traceback frame {depth + 1} from the top"
                evidence[chunk.id].add(
                    "frame",
                    1.0 / (depth + 1),
                    f"{where} of {failure.test_id} ({failure.exc_type} at line {line})",
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

    for signal, terms in (("message", message_terms(failures)), ("test words", test_terms(tests))):
        for cid, (strength, matched, kind) in lexical_scores(store, terms).items():
            damp = CONTAINER_LEXICAL if kind in CONTAINERS else 1.0
            evidence[cid].add(signal, strength * damp, f"{signal} match ({', '.join(matched[:5])})")

    has_coverage = any(f.test_id in (report.coverage or {}) for f in failures)
    executed = set(best_line) if has_coverage else None  # every line a failing test ran has a suspicion > 0
    for cid, (strength, reason) in referenced(store, tests, executed).items():
        evidence[cid].add("reference", strength, reason)

    for hint in hints:
        for cid in _resolve(store, hint.symbol_id):
            evidence[cid].add("hint", max(0.0, min(hint.weight, 1.0)), f"memory: {hint.reason}")

    chunks = store.chunks_by_id(evidence)
    ranked = [chunks[cid].scored(e.score, e.why) for cid, e in evidence.items() if cid in chunks]
    ranked.sort(key=lambda c: (-c.score, c.kind == "class", c.end - c.start, c.id))
    return ranked, tests


def _locations(store: Store, failure: Failure) -> list[tuple[str, int]]:
    """Project locations outside the tests, deepest first: the traceback's frames, or else those its text names."""
    frames = [(f.file, f.line) for f in failure.project_frames]
    if not any(not is_test_path(path) for path, _ in frames):
        frames = mentioned_locations(f"{failure.message}\n{failure.output}", store.paths())
    return [(path, line) for path, line in reversed(frames) if not is_test_path(path)]


def _resolve(store: Store, symbol_id: str) -> list[str]:
    if "::" in symbol_id:
        return list(store.chunks_by_id([symbol_id]))
    return store.chunk_ids_for_symbol(symbol_id)
