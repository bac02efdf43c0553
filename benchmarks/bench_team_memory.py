"""Team memory benchmark: the PostgreSQL + pgvector store at 10k, 100k and 1M fix cards.

    python benchmarks/bench_team_memory.py [--sizes 10000,100000,1000000] [--projects 50] [--queries 500]
                                           [--clients 8] [--batch 1000] [--singles 200] [--build-mem 1GB] [--explain] [--json]

Starts its own PostgreSQL (pgserver: PostgreSQL 16.2, pgvector 0.6.2, the server's default settings) on a Unix
socket in a temporary folder, and stops it at the end, also on Ctrl-C. The store grows step by step to each size;
at each one:

- insert: cards/s through `Store.add_fix_cards`: every card of the step in one call (the card objects are built
  outside the timer), which takes the store's bulk path when the step is large next to the store (the HNSW
  index is dropped, the rows loaded, the index built again; its build time is reported and included in the
  rate); then `--batch` more cards in one call into the existing index (statements batched, the graph
  insert row by row), and `--singles` more one `add_fix_card` at a time;
- recall: p50/p99 of `Store.recall` (k=5, scoped to the card's project) end to end, one client, then eight
  client processes at once (each with its own Store), over the same queries. Cards are spread over 50
  projects (`--projects`), every signature has a card. Half the queries are near-duplicates of a stored card's signature (the same
  failure, reached through another caller, so the text differs), half are fresh failures never stored;
  "top-1" is the share of near-duplicates whose first recollection is the card they came from;
- where a recall's and an insert's time goes: the store's SQL statements timed one by one, the embedding, and
  the rest (Python); with `--explain`, EXPLAIN ANALYZE of one recall's statements on stderr;
- the HNSW index: its size, and the time its build took in the bulk load.

Signatures come from bench_memory's generator; the benchmark skips the rare ones that repeat in a project, so
every card has its own signature. The client processes share the machine's cores with the server.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import queue
import random
import re
import signal
import statistics
import sys
import tempfile
import time
import zlib
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pgserver
import psycopg

from untilgreen.memory import FixCard, Signature, Store, pgvectors, signature
from untilgreen.sandbox.results import Frame

sys.path.insert(0, str(Path(__file__).parent))
from bench_memory import NOUNS, VERBS, failure  # noqa: E402

PROJECTS = 50
K = 5
WARMUP = 20
TRACED_QUERIES = 50
EXACT_QUERIES = 100  # near-duplicates recalled again without the HNSW index, for the exact scan's top-1
FRESH_BASE = 10**9  # generator indexes of never-stored failures
INDEX = "sig_emb_hnsw"
TABLES = ("sig_emb", "signatures", "fix_cards")
_VECTOR = re.compile(r"'\[[^']*\]'::vector")
# The targets: (figure, size it applies at, limit, higher is better).
TARGETS = [
    ("recall p99, 1 client (ms)", 1_000_000, 20.0, False),
    ("recall p99, 8 clients (ms)", 1_000_000, 50.0, False),
    ("insert, batched (cards/s)", 0, 2000.0, True),
]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- data ------------------------------------------------------------------------------------------------------


def project_of(i: int) -> str:
    """Failure `i`'s project: a hash, so that projects do not line up with the generator's templates."""
    return f"team-{zlib.crc32(i.to_bytes(8, 'little')) % PROJECTS:02d}"


@dataclass
class Cards:
    """The generator's failures stored so far (by index), skipping any whose signature its project already has."""

    rng: random.Random = field(default_factory=lambda: random.Random(7))
    stored: array = field(default_factory=lambda: array("q"))  # generator index of every stored card
    seen: set[tuple[str, str]] = field(default_factory=set)  # (project, digest)
    next_i: int = 0

    def batch(self, n: int) -> list[FixCard]:
        """The next `n` cards whose signature is new in its project."""
        cards: list[FixCard] = []
        while len(cards) < n:
            i, self.next_i = self.next_i, self.next_i + 1
            sig, project = signature(failure(self.rng, i, f"case_{i}")), project_of(i)
            if (project, sig.digest) in self.seen:
                continue
            self.seen.add((project, sig.digest))
            self.stored.append(i)
            diff = f"--- a/app/mod.py\n+++ b/app/mod.py\n@@ -{i % 500} +{i % 500} @@\n-x\n+y\n"
            cards.append(FixCard(sig, diff=diff, project=project, summary=f"fix {i}"))
        return cards


@dataclass(frozen=True)
class Query:
    sig: Signature
    project: str
    source: int | None  # the stored failure a near-duplicate came from; None for a fresh one


def near_duplicate(rng: random.Random, i: int) -> Signature:
    """Failure `i` again from another test, reached through a caller it did not have: same deepest function."""
    f = failure(rng, i, f"other_{rng.randrange(10**6)}")
    caller = Frame("app/api.py", 30, f"{rng.choice(VERBS)}_{rng.choice(NOUNS)}_view")
    f.frames.insert(len(f.frames) - 1, caller)
    return signature(f)


def queries(cards: Cards, n: int, seed: int) -> list[Query]:
    """`n` queries, alternately a near-duplicate of a random stored card and a fresh failure."""
    rng = random.Random(seed)
    found: list[Query] = []
    for q in range(n):
        if q % 2 == 0:
            i = cards.stored[rng.randrange(len(cards.stored))]
            found.append(Query(near_duplicate(rng, i), project_of(i), i))
        else:
            j = FRESH_BASE + seed * n + q
            found.append(Query(signature(failure(rng, j, f"fresh_{q}")), project_of(j), None))
    return found


# -- measuring -------------------------------------------------------------------------------------------------


def percentile(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def run_queries(store: Store, batch: list[Query], *, prefilter: bool = True) -> tuple[list[float], int]:
    """Recall latencies (ms) and how many near-duplicates came back first."""
    times: list[float] = []
    hits = 0
    for q in batch:
        began = time.perf_counter()
        found = store.recall(q.sig, project=q.project, k=K, prefilter=prefilter)
        times.append((time.perf_counter() - began) * 1000)
        hits += q.source is not None and bool(found) and found[0].card.summary == f"fix {q.source}"
    return times, hits


def client(url: str, batch: list[Query], warmup: list[Query], barrier: Any, results: Any) -> None:
    """One of the concurrent clients: its own process and Store; starts timing with the others."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the clients and the server
    with Store.open(url=url) as store:
        run_queries(store, warmup)
        barrier.wait()
        results.put(run_queries(store, batch)[0])


def concurrent(url: str, batch: list[Query], clients: int) -> tuple[list[float], float]:
    """Latencies (ms) of `batch` split over `clients` processes recalling at once, and the wall time (s)."""
    ctx = multiprocessing.get_context("spawn")  # no inherited pool connections or threads
    barrier, results = ctx.Barrier(clients + 1), ctx.Queue()
    procs = [
        ctx.Process(target=client, args=(url, batch[c::clients], batch[:WARMUP], barrier, results))
        for c in range(clients)
    ]
    for p in procs:
        p.start()
    finished = False
    try:
        barrier.wait(timeout=120)
        began = time.perf_counter()
        times: list[float] = []
        for _ in procs:
            times += wait_for(results, procs)
        wall = time.perf_counter() - began
        finished = True
    finally:
        for p in procs:
            p.join(timeout=5 if finished else 0)
            if p.is_alive():
                p.terminate()
    return times, wall


def wait_for(results: Any, procs: list[Any]) -> list[float]:
    """The next client's latencies; raises if a client died without sending them."""
    while True:
        try:
            return list(results.get(timeout=1))
        except queue.Empty:
            if any(p.exitcode not in (None, 0) for p in procs):
                raise RuntimeError("a recall client failed; see its traceback above") from None


class Tracer:
    """Times each SQL statement the store runs (by its text) and each embedding call, to show where time goes.

    It wraps the store's own `db.execute` and embedder, so it sees exactly the statements the store sends; the
    time of a statement includes its round trip and fetching its rows.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.sql: dict[str, list[float]] = {}  # statement -> [count, seconds]
        self.embed = [0.0, 0.0]  # texts, seconds
        self.statements: list[tuple[str, Any]] = []  # (sql, params) in order, since the last `clear`
        self.keep = False  # whether to keep the statements (a bulk load's would fill the memory)

    def clear(self) -> None:
        self.statements = []

    def __enter__(self) -> Tracer:
        db, embedder = self.store.db, self.store.vectors.embedder
        execute, embed, copy = db.execute, embedder.embed, db.copy  # type: ignore[attr-defined]

        def traced_execute(sql: str, params: Any = ()) -> Any:
            began = time.perf_counter()
            try:
                return execute(sql, params)
            finally:
                entry = self.sql.setdefault(" ".join(sql.split()), [0, 0.0])
                entry[0] += 1
                entry[1] += time.perf_counter() - began
                if self.keep:
                    self.statements.append((sql, params))

        def traced_copy(table: str, columns: Any, rows: Any) -> None:
            began = time.perf_counter()
            try:
                copy(table, columns, rows)
            finally:
                entry = self.sql.setdefault(f"COPY {table}", [0, 0.0])
                entry[0] += 1
                entry[1] += time.perf_counter() - began

        def traced_embed(texts: list[str]) -> list[list[float]]:
            began = time.perf_counter()
            try:
                return embed(texts)
            finally:
                self.embed[0] += len(texts)
                self.embed[1] += time.perf_counter() - began

        db.execute, embedder.embed = traced_execute, traced_embed  # type: ignore[method-assign]
        db.copy = traced_copy  # type: ignore[attr-defined]
        return self

    def __exit__(self, *exc: object) -> None:
        del self.store.db.execute, self.store.vectors.embedder.embed, self.store.db.copy  # type: ignore[attr-defined]

    def breakdown(self, calls: int, total_s: float) -> dict[str, Any]:
        """Milliseconds per call: total, embedding, each statement (slowest first), and the rest."""
        per = 1000 / calls
        statements = sorted(self.sql.items(), key=lambda kv: -kv[1][1])
        sql_s = sum(s for _, s in self.sql.values())
        return {
            "total_ms": total_s * per,
            "embed_ms": self.embed[1] * per,
            "sql_ms": sql_s * per,
            "other_python_ms": (total_s - sql_s - self.embed[1]) * per,
            "statements": [
                {"sql": sql[:90], "per_call": n / calls, "ms": s * per} for sql, (n, s) in statements
            ],
        }


def explain(store: Store, statements: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """EXPLAIN ANALYZE each SELECT of one recall, replayed in order in one rolled-back transaction.

    `SET LOCAL` statements are replayed as they are, so the plans see the recall's own settings.
    """
    plans: list[dict[str, Any]] = []
    conn = psycopg.connect(store_url(store), autocommit=False)
    try:
        for sql, params in statements:
            pg_sql = sql.replace("%", "%%").replace("?", "%s")
            if not sql.lstrip().upper().startswith("SELECT"):
                if sql.lstrip().upper().startswith("SET"):
                    conn.execute(pg_sql, params)
                continue
            rows = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + pg_sql, params).fetchall()
            text = _VECTOR.sub("'[...]'::vector", "\n".join(r[0] for r in rows))
            took = re.search(r"Execution Time: ([\d.]+) ms", text)
            plans.append(
                {"sql": " ".join(sql.split())[:90], "ms": float(took[1]) if took else None, "plan": text}
            )
        conn.rollback()
    finally:
        conn.close()
    return plans


def statement_overhead(store: Store, admin: psycopg.Connection[Any], n: int = 200) -> dict[str, float]:
    """Milliseconds for a trivial statement through the store's `db.execute` and on a bare connection."""
    found: dict[str, float] = {}
    for name, run in (
        ("store", lambda: store.db.execute("SELECT 1")),
        ("bare", lambda: admin.execute("SELECT 1")),
    ):
        began = time.perf_counter()
        for _ in range(n):
            run()
        found[f"{name}_ms"] = (time.perf_counter() - began) * 1000 / n
    return found


def store_url(store: Store) -> str:
    return str(store.db.url)  # type: ignore[attr-defined]


# -- the server --------------------------------------------------------------------------------------------------


@contextmanager
def server() -> Iterator[str]:
    """A private PostgreSQL with pgvector in a temporary folder: its URL; stopped on leaving, also on a signal."""
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="bench-team-memory-") as tmp:
        log("starting PostgreSQL")
        srv = pgserver.get_server(Path(tmp) / "pgdata", cleanup_mode="stop")
        try:
            with psycopg.connect(srv.get_uri(), autocommit=True) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            yield srv.get_uri()
        finally:
            log("stopping PostgreSQL")
            srv.cleanup()
            signal.signal(signal.SIGTERM, previous)


def one(conn: psycopg.Connection[Any], sql: str, params: tuple[Any, ...] = ()) -> Any:
    """The first column of the first row."""
    row = conn.execute(sql, params).fetchone()  # type: ignore[arg-type]
    return row[0] if row else None


def server_info(conn: psycopg.Connection[Any]) -> dict[str, str]:
    settings = (
        "server_version",
        "shared_buffers",
        "maintenance_work_mem",
        "max_parallel_maintenance_workers",
    )
    info = {s: str(one(conn, f"SHOW {s}")) for s in settings}
    info["pgvector"] = str(one(conn, "SELECT extversion FROM pg_extension WHERE extname = 'vector'"))
    return info


def sizes_mb(conn: psycopg.Connection[Any]) -> dict[str, float]:
    mb = {"hnsw index": relation_mb(conn, "pg_relation_size", INDEX)}
    mb["sig_emb heap"] = relation_mb(conn, "pg_relation_size", "sig_emb")
    for table in TABLES:
        mb[f"{table} total"] = relation_mb(conn, "pg_total_relation_size", table)
    mb["database"] = one(conn, "SELECT pg_database_size(current_database())") / 1e6
    return mb


def relation_mb(conn: psycopg.Connection[Any], function: str, name: str) -> float:
    return float(one(conn, f"SELECT {function}(to_regclass(%s))", (name,)) or 0) / 1e6


# -- one size ----------------------------------------------------------------------------------------------------


def fill(store: Store, cards: Cards, size: int, args: argparse.Namespace) -> dict[str, Any]:
    """Add the step's cards in one call, then a batch and single cards; rates, the index build, where time goes."""
    step = cards.batch(size - len(cards.stored))
    builds: list[float] = []
    build_index = store.vectors.build_index  # type: ignore[attr-defined]

    def timed_build() -> bool:
        began = time.perf_counter()
        try:
            return bool(build_index())
        finally:
            builds.append(time.perf_counter() - began)

    store.vectors.build_index = timed_build  # type: ignore[attr-defined]
    try:
        with Tracer(store) as tracer:
            log(f"  {len(step):,} cards in one add_fix_cards")
            began = time.perf_counter()
            store.add_fix_cards(step)
            spent = time.perf_counter() - began
            breakdown = tracer.breakdown(len(step), spent)
    finally:
        del store.vectors.build_index  # type: ignore[attr-defined]
    result: dict[str, Any] = {
        "added": len(step),
        "bulk": bool(builds),
        "cards_per_s": len(step) / spent,
        "index_build_s": sum(builds),
        "breakdown": breakdown,
    }
    del step
    log(
        f"  {len(cards.stored):,} cards: {result['cards_per_s']:,.0f}/s; a batch of {args.batch:,}, {args.singles} single"
    )
    batch = cards.batch(args.batch)
    began = time.perf_counter()
    store.add_fix_cards(batch)
    result["batch_cards_per_s"] = len(batch) / (time.perf_counter() - began)
    singles = cards.batch(args.singles)
    began = time.perf_counter()
    for card in singles:
        store.add_fix_card(card)
    result["single_cards_per_s"] = len(singles) / (time.perf_counter() - began)
    return result


def measure(
    url: str, store: Store, admin: psycopg.Connection[Any], cards: Cards, args: argparse.Namespace
) -> dict[str, Any]:
    """Everything but the inserts, at the store's current size."""
    size = len(cards.stored)
    result: dict[str, Any] = {"cards": size}
    began = time.perf_counter()
    for table in TABLES:
        admin.execute(f"VACUUM (ANALYZE) {table}")
    result["vacuum_analyze_s"] = time.perf_counter() - began
    result["sizes_mb"] = sizes_mb(admin)

    batch = queries(cards, args.queries, seed=size)
    near = [q for q in batch if q.source is not None]
    log(f"  recall: {len(batch)} queries, 1 client")
    run_queries(store, batch[:WARMUP])
    times, hits = run_queries(store, batch)
    result["one_client"] = {
        "p50_ms": statistics.median(times),
        "p99_ms": percentile(times, 0.99),
        "queries": len(times),
    }
    result["top1"] = hits / len(near)
    log(f"  recall: exact scan (no HNSW), {min(EXACT_QUERIES, len(near))} near-duplicates")
    exact_times, exact_hits = run_queries(store, near[:EXACT_QUERIES], prefilter=False)
    result["exact_scan"] = {
        "p50_ms": statistics.median(exact_times),
        "p99_ms": percentile(exact_times, 0.99),
        "top1": exact_hits / len(near[:EXACT_QUERIES]),
    }

    log("  recall: where the time goes")
    traced = batch[:TRACED_QUERIES]
    with Tracer(store) as tracer:
        began = time.perf_counter()
        run_queries(store, traced)
        result["recall_breakdown"] = tracer.breakdown(len(traced), time.perf_counter() - began)
        tracer.clear()
        tracer.keep = True
        run_queries(store, [near[0]])
        result["explain"] = explain(store, tracer.statements)
    result["select_1"] = statement_overhead(store, admin)
    if args.explain:
        for plan in result["explain"]:
            print(f"\n-- {plan['sql']}\n{plan['plan']}", file=sys.stderr)

    log(f"  recall: {len(batch)} queries over {args.clients} clients")
    times, wall = concurrent(url, batch, args.clients)
    result["clients"] = {
        "clients": args.clients,
        "p50_ms": statistics.median(times),
        "p99_ms": percentile(times, 0.99),
        "queries_per_s": len(times) / wall,
    }
    return result


# -- report ------------------------------------------------------------------------------------------------------


def verdicts(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each target: the figure it applies to (the largest size if its own was not measured), met or not."""
    found: list[dict[str, Any]] = []
    for name, at, limit, higher in TARGETS:
        rows = [r for r in results if r["cards"] >= at] or results[-1:]
        values = [figure(r, name) for r in rows]
        value = min(values) if higher else max(values)
        measured = any(r["cards"] >= at for r in results)
        met = (value >= limit) if higher else (value < limit)
        found.append(
            {"target": name, "at": at, "limit": limit, "value": value, "met": met if measured else None}
        )
    return found


def figure(result: dict[str, Any], name: str) -> float:
    if name.startswith("insert"):
        return float(result["insert"]["cards_per_s"])
    return float(result["one_client" if "1 client" in name else "clients"]["p99_ms"])


def print_table(info: dict[str, Any], results: list[dict[str, Any]]) -> None:
    print(
        f"PostgreSQL {info['server_version']}, pgvector {info['pgvector']}, shared_buffers {info['shared_buffers']}, "
        f"maintenance_work_mem {info['maintenance_work_mem']}; {PROJECTS} projects, k={K}; {info['cores']} cores, "
        f"load average {info['load_average_before']} before the start"
    )
    print(
        f"{'cards':>9} {'bulk/s':>7} {'batch/s':>7} {'single/s':>8} | {'1 client p50/p99 ms':>19} | "
        f"{'N clients p50/p99 ms':>20} {'q/s':>5} | {'top-1':>5} {'exact':>5} | {'exact p50/p99 ms':>16} | "
        f"{'HNSW MB':>7} {'sig_emb MB':>10} {'db MB':>7} | {'build s':>7}"
    )
    for r in results:
        one, many, exact, mb, ins = r["one_client"], r["clients"], r["exact_scan"], r["sizes_mb"], r["insert"]
        print(
            f"{r['cards']:>9,} {ins['cards_per_s']:>7,.0f} {ins['batch_cards_per_s']:>7,.0f} "
            f"{ins['single_cards_per_s']:>8,.0f} | {one['p50_ms']:>8.1f} / {one['p99_ms']:<8.1f} | "
            f"{many['p50_ms']:>8.1f} / {many['p99_ms']:<9.1f} {many['queries_per_s']:>5.0f} | "
            f"{r['top1']:>5.2f} {exact['top1']:>5.2f} | {exact['p50_ms']:>7.1f} / {exact['p99_ms']:<6.1f} | "
            f"{mb['hnsw index']:>7.0f} {mb['sig_emb total']:>10.0f} {mb['database']:>7.0f} | "
            f"{ins['index_build_s']:>7.1f}"
        )
    for r in results:
        print(f"\nat {r['cards']:,} cards, per call (ms):")
        for label, b in (
            ("bulk insert (per card)", r["insert"]["breakdown"]),
            ("recall", r["recall_breakdown"]),
        ):
            print(
                f"  {label}: total {b['total_ms']:.2f} = embedding {b['embed_ms']:.2f} + SQL {b['sql_ms']:.2f} "
                f"+ other Python {b['other_python_ms']:.2f}"
            )
            for s in b["statements"][:6]:
                print(f"    {s['ms']:7.3f} ms  x{s['per_call']:<4.2g} {s['sql']}")
        print(
            f"  SELECT 1: {r['select_1']['store_ms']:.3f} ms through the store, {r['select_1']['bare_ms']:.3f} ms "
            "on a bare connection"
        )
        for plan in r["explain"]:
            print(f"  EXPLAIN ANALYZE {plan['ms']} ms: {plan['sql']}")
        print(
            f"  HNSW build in the bulk load: {r['insert']['index_build_s']:.1f} s at maintenance_work_mem "
            f"{pgvectors.BUILD_MEM}, {r['sizes_mb']['hnsw index']:.0f} MB"
            + ("" if r["insert"]["bulk"] else " (no bulk load at this step: the index was not rebuilt)")
        )
    print()
    for v in verdicts(results):
        where = f" at {v['at']:,} cards" if v["at"] else ""
        state = {True: "met", False: "NOT met", None: f"not measured{where} (largest size shown)"}[v["met"]]
        sign = ">=" if v["target"].startswith("insert") else "<"
        print(f"target {v['target']} {sign} {v['limit']:g}{where}: {v['value']:,.1f} -- {state}")


def main() -> None:
    global PROJECTS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--projects", type=int, default=PROJECTS, help="projects the cards are spread over")
    parser.add_argument("--batch", type=int, default=1000, help="cards of the batch into the existing index")
    parser.add_argument("--singles", type=int, default=200, help="cards added one at a time after it")
    parser.add_argument(
        "--build-mem", default=pgvectors.BUILD_MEM, help="maintenance_work_mem of the bulk load's index build"
    )
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN ANALYZE of one recall on stderr"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    PROJECTS = args.projects
    pgvectors.BUILD_MEM = args.build_mem

    load = os.getloadavg()[0]  # before this benchmark adds its own: what else runs on the machine
    cards = Cards()
    results: list[dict[str, Any]] = []
    with server() as url, psycopg.connect(url, autocommit=True) as admin:
        info = {**server_info(admin), "load_average_before": f"{load:.1f}", "cores": str(os.cpu_count())}
        with Store.open(url=url, project=project_of(0)) as store:
            for size in sizes:
                log(f"{size:,} cards: inserting")
                insert = fill(store, cards, size, args)
                result = {"insert": insert, **measure(url, store, admin, cards, args)}
                results.append(result)
                log(f"result {json.dumps(result)}")  # kept on stderr, should a later size fail
                log(
                    f"{size:,} cards: insert {insert['cards_per_s']:,.0f}/s, recall p99 "
                    f"{result['one_client']['p99_ms']:.1f} ms (1), {result['clients']['p99_ms']:.1f} ms ({args.clients})"
                )
    if args.json:
        print(
            json.dumps(
                {
                    "server": info,
                    "projects": PROJECTS,
                    "k": K,
                    "results": results,
                    "targets": verdicts(results),
                },
                indent=2,
            )
        )
    else:
        print_table(info, results)


if __name__ == "__main__":
    main()
