"""Memory benchmark: recall latency at 1k, 10k and 100k stored fix cards, insert throughput, file size.

    python benchmarks/bench_memory.py [--sizes 1000,10000,100000] [--queries 200]

Every stored signature gets a fix card (all are in recall's scope) and all share one project (no partition
pruning): the worst case. Recall is timed end to end through `Store.recall` (embedding, quantized KNN, float
re-rank, FTS5, scoring, card fetch), with the bit prefilter and with a float-only scan. Queries are reworded
variants of stored signatures (same cause from another test); `recall@1` counts how often the stored original
came back first.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from untilgreen.memory import FixCard, Store, signature
from untilgreen.sandbox.results import Failure, Frame

VERBS = "get set load save parse build apply compute render send fetch merge split check find update".split()
NOUNS = (
    "user order cart price discount invoice config token session report row column page item "
    "total ratio tax address email payload header cache queue job node tree"
).split()
TEMPLATES = [
    ("ZeroDivisionError", "division by zero"),
    ("KeyError", "'{noun}_id'"),
    ("AttributeError", "'NoneType' object has no attribute '{noun}'"),
    ("TypeError", "unsupported operand type(s) for +: 'int' and '{noun}'"),
    ("ValueError", "invalid literal for int() with base 10: '{n}'"),
    ("IndexError", "list index out of range"),
    ("AssertionError", "assert {n} == {m}\n +  where {n} = {fn}([{n}, {m}])"),
    ("TypeError", "{fn}() missing 1 required positional argument: '{noun}'"),
]


def failure(rng: random.Random, i: int, test: str) -> Failure:
    """Failure number `i` (deterministic per i), raised from a test named `test`."""
    local = random.Random(i)
    fns = [f"{local.choice(VERBS)}_{local.choice(NOUNS)}_{i % 997}" for _ in range(local.randint(1, 3))]
    exc, message = TEMPLATES[i % len(TEMPLATES)]
    text = message.format(noun=local.choice(NOUNS), n=rng.randint(1, 999), m=rng.randint(1, 999), fn=fns[-1])
    frames = [Frame(f"tests/test_{test}.py", 5, f"test_{test}")] + [Frame("app/mod.py", 10, f) for f in fns]
    return Failure(f"tests/test_{test}.py::test_{test}", "failed", exc, text, frames)


def fill(store: Store, rng: random.Random, start: int, stop: int) -> float:
    began = time.perf_counter()
    for chunk in range(start, stop, 1000):
        with store.db.transaction():
            for i in range(chunk, min(chunk + 1000, stop)):
                sig = signature(failure(rng, i, f"case_{i}"))
                store.add_fix_card(
                    FixCard(
                        sig,
                        diff=f"--- a/app/mod.py\n+++ b/app/mod.py\n@@ -{i} +{i} @@\n-x\n+y\n",
                        project="bench",
                        summary=f"fix {i}",
                    )
                )
    return (stop - start) / (time.perf_counter() - began)


def measure(
    store: Store, rng: random.Random, stored: int, queries: int, prefilter: bool
) -> tuple[float, float, float]:
    times: list[float] = []
    hits = 0
    for q in range(queries):
        i = rng.randrange(stored)
        sig = signature(failure(rng, i, f"other_{q}"))  # same cause, different test and values
        began = time.perf_counter()
        found = store.recall(sig, project="bench", k=5, prefilter=prefilter)
        times.append((time.perf_counter() - began) * 1000)
        hits += bool(found) and found[0].card.summary == f"fix {i}"
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))], hits / queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        store = Store.open(path, project="bench")
        print(f"sqlite: {store.stats()['sqlite']}, embedder {store.vectors.embedder.id}")
        print(
            f"{'stored':>8} {'insert/s':>9} {'size MB':>8} | {'quantized+re-rank p50/p99 ms':>28} {'r@1':>5} | "
            f"{'float-only p50/p99 ms':>22} {'r@1':>5}"
        )
        stored = 0
        for size in sizes:
            rate = fill(store, rng, stored, size)
            stored = size
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            measure(store, rng, stored, 10, True)  # warm the page cache
            q50, q99, q_r1 = measure(store, rng, stored, args.queries, True)
            f50, f99, f_r1 = measure(store, rng, stored, max(args.queries // 2, 10), False)
            size_mb = sum(p.stat().st_size for p in path.parent.glob("bench.sqlite3*")) / 1e6
            print(
                f"{size:>8} {rate:>9.0f} {size_mb:>8.1f} | {q50:>13.2f} / {q99:<12.2f} {q_r1:>5.2f} | "
                f"{f50:>10.2f} / {f99:<9.2f} {f_r1:>5.2f}"
            )
        store.close()


if __name__ == "__main__":
    main()
