"""Localization: combine traceback frames, SBFL, lexical match, references (with the callees whose results
they return) and memory hints into one ranking of chunks, each with its score and the reasons behind it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from untilgreen.context.callgraph import call_depths
from untilgreen.context.lexical import lexical_scores, message_terms, test_terms
from untilgreen.context.mentions import mentioned_locations
from untilgreen.context.model import Chunk, Hint, chunk_id, split_test_id
from untilgreen.context.paths import is_test_path
from untilgreen.context.reads import Reader, read_data
from untilgreen.context.references import CONTAINERS, referenced
from untilgreen.context.returns import returned
from untilgreen.context.sbfl import ochiai_lines
from untilgreen.context.store import Store
from untilgreen.context.testslice import purified
from untilgreen.sandbox.results import Failure, TestReport

# Reciprocal-rank fusion: each signal ranks the chunks it has evidence for (equal evidence, equal rank) and a
# chunk scores sum(WEIGHTS[signal] / (RRF_K + rank)). Ranks rather than raw values, because the signals'
# scales (Ochiai, BM25, call depth) are not comparable; a small RRF_K because the candidates are few, so
# the first ranks must count.
WEIGHTS = {
    "frame": 1.0,
    "sbfl": 1.0,
    "depth": 1.0,
    "hint": 1.0,
    "reference": 0.5,
    "data read": 0.5,
    "message": 0.5,
    "test words": 0.25,
}
RRF_K = 1.0
# Within equal Ochiai, the chunk that ran deeper below the test ranks first (callgraph.py says why); small
# enough never to reorder different suspicions (depths stay far below 100).
DEPTH_TIE_BREAK = 1e-4
# A class or type chunk is mostly a container whose methods are ranked on their own: its words count less.
CONTAINER_LEXICAL = 0.5
# A timeout stops a loop wherever it happens to be: every frame on the stack is equally suspect, and less
# telling than the frame an exception was raised in.
TIMEOUT_FRAME = 0.5

# Data read by suspicious code (reads.py): the lines whose reads count, the most suspicious executed ones and
# the deepest traceback frames.
READ_LINES = 10
READ_FRAMES = 2

Evidence = dict[str, dict[str, tuple[float, str]]]  # signal -> chunk id -> (strength, reason)


def _add(evidence: Evidence, signal: str, cid: str, strength: float, reason: str) -> None:
    """Strengths of one signal add up (several failing tests); the reason kept is the strongest one's."""
    old, old_reason = evidence[signal].get(cid, (0.0, ""))
    evidence[signal][cid] = (old + strength, old_reason if old >= strength else reason)


def fuse(evidence: Evidence) -> dict[str, tuple[float, str]]:
    """Chunk id -> (fused score, why: the reasons, most telling first)."""
    points: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for signal, found in evidence.items():
        for cid, rank in _ranks({cid: strength for cid, (strength, _) in found.items()}).items():
            points[cid].append((WEIGHTS[signal] / (RRF_K + rank), found[cid][1]))
    return {
        cid: (sum(p for p, _ in reasons), "; ".join(r for _, r in sorted(reasons, key=lambda pr: -pr[0])))
        for cid, reasons in points.items()
    }


def _ranks(strengths: dict[str, float]) -> dict[str, int]:
    """Competition ranks (1, 1, 3...) of the positive strengths, strongest first; near-equal values tie."""
    ordered = sorted((s for s in strengths.values() if s > 0), reverse=True)
    return {cid: 1 + sum(1 for o in ordered if o > s + 1e-9) for cid, s in strengths.items() if s > 0}


class _LineMap:
    """Finds the innermost chunk holding a line of a file, loading each file's chunks once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.by_path: dict[str, list[Chunk]] = {}

    def chunks(self, path: str) -> list[Chunk]:
        """The file's chunks, innermost first."""
        if path not in self.by_path:
            self.by_path[path] = sorted(self.store.chunks(path), key=lambda c: c.end - c.start)
        return self.by_path[path]

    def chunk_at(self, path: str, line: int) -> Chunk | None:
        return next((c for c in self.chunks(path) if c.start <= line <= c.end), None)


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
    slices = purified(tests, failures)
    evidence: Evidence = defaultdict(dict)
    lines = _LineMap(store)
    readers: list[Reader] = []

    for failure in failures:
        for depth, (path, line) in enumerate(_locations(store, failure)):
            chunk = lines.chunk_at(path, line)
            if chunk is None:
                continue
            if failure.kind == "timeout":
                strength, where = TIMEOUT_FRAME, "on the stack when"
            else:
                strength = 1.0 / (depth + 1)
                where = (
                    "deepest project frame of"
                    if depth == 0
                    else f"traceback frame {depth + 1} from the top of"
                )
            reason = f"{where} {failure.test_id} ({failure.exc_type} at line {line})"
            _add(evidence, "frame", chunk.id, strength, reason)
            if depth < READ_FRAMES and failure.kind != "timeout":
                readers.append((chunk, line, strength, f"{where} {failure.test_id}"))

    executed: set[str] = set()
    best_line: dict[str, tuple[float, int]] = {}
    suspicious: list[Reader] = []
    ochiai = ochiai_lines(report, [f.test_id for f in failures])
    for (path, line), suspicion in ochiai.items():
        chunk = lines.chunk_at(path, line)
        if chunk is None:
            continue
        executed.add(chunk.id)
        if not is_test_path(path):
            suspicious.append((chunk, line, suspicion, f"Ochiai {suspicion:.2f}"))
            if suspicion > best_line.get(chunk.id, (0.0, 0))[0]:
                best_line[chunk.id] = (suspicion, line)
    depths = call_depths(store, tests, executed)
    for cid, (suspicion, line) in best_line.items():
        reason = f"Ochiai {suspicion:.2f} at line {line} (coverage of failing vs passing tests)"
        _add(evidence, "sbfl", cid, suspicion + DEPTH_TIE_BREAK * depths.get(cid, (0, ""))[0], reason)

    for cid, (calls, caller) in depths.items():
        below = "1 call" if calls == 1 else f"{calls} calls"
        _add(evidence, "depth", cid, float(calls), f"ran {below} below the failing test (called by {caller})")

    for signal, terms in (("message", message_terms(failures)), ("test words", test_terms(slices))):
        for cid, (strength, matched, kind) in lexical_scores(store, terms).items():
            damp = CONTAINER_LEXICAL if kind in CONTAINERS else 1.0
            _add(evidence, signal, cid, strength * damp, f"{signal} match ({', '.join(matched[:5])})")

    references = referenced(store, slices, executed)
    references.update(returned(store, references, ochiai, executed))
    for cid, (strength, reason) in references.items():
        _add(evidence, "reference", cid, strength, reason)

    readers += _most_suspicious(suspicious)
    for cid, (strength, reason) in read_data(store, lines.chunks, readers).items():
        _add(evidence, "data read", cid, strength, reason)

    for hint in hints:
        for cid in _resolve(store, hint.symbol_id):
            _add(evidence, "hint", cid, max(0.0, min(hint.weight, 1.0)), f"memory: {hint.reason}")

    fused = fuse(evidence)
    chunks = store.chunks_by_id(fused)
    ranked = [chunks[cid].scored(score, why) for cid, (score, why) in fused.items() if cid in chunks]
    ranked.sort(key=lambda c: (-c.score, c.kind == "class", c.end - c.start, c.id))
    return ranked, tests


def _most_suspicious(lines: list[Reader]) -> list[Reader]:
    """The READ_LINES most suspicious lines, and those tied with the last of them."""
    ordered = sorted(lines, key=lambda r: -r[2])
    if len(ordered) <= READ_LINES:
        return ordered
    floor = ordered[READ_LINES - 1][2] - 1e-9
    return [r for r in ordered if r[2] >= floor]


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
