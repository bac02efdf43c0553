"""Export to and import from a JSON file (vectors are not exported: the importing store embeds again)."""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import asdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from untilgreen.errors import UserError
from untilgreen.memory.backend import Database, chunks, rows_marks
from untilgreen.memory.recall import CARD_COLUMNS, card_from_row
from untilgreen.memory.records import FixCard
from untilgreen.memory.signature import Signature


class ImportTarget(Protocol):
    """What an import writes through (the store): its database, its redaction and its record keeping."""

    db: Database

    def clean(self, text: str) -> str: ...

    def signature_ids(self, sigs: Sequence[tuple[Signature, str, bool]], *, seen: bool) -> list[int]: ...

    def add_fix_cards(self, cards: list[FixCard]) -> list[str]: ...


FORMAT = "untilgreen-memory"
VERSION = 2  # 2: runs' `resume` and `resumed_from`, attempts' `fingerprint` (a version 1 file has none: "")
_RUN_COLUMNS = (
    "id",
    "project",
    "mode",
    "goal",
    "command",
    "model",
    "started",
    "finished",
    "outcome",
    "stop_reason",
    "final_diff",
    "resume",
    "resumed_from",
)
_ATTEMPT_COLUMNS = (
    "run_id",
    "n",
    "source",
    "model",
    "prompt",
    "response",
    "tokens_in",
    "tokens_out",
    "cost",
    "duration_s",
    "tests",
    "diff",
    "outcome",
    "fix_card",
    "created",
    "fingerprint",
)
_REDACTED_COLUMNS = {"goal", "command", "final_diff", "prompt", "response", "tests", "diff"}


def export(db: Database, path: Path) -> dict[str, int]:
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "exported": time.time()}
    data["runs"] = _rows(db, "runs", _RUN_COLUMNS)
    data["attempts"] = _rows(db, "attempts", _ATTEMPT_COLUMNS)
    runs_of: dict[int, list[str]] = {}
    for sig_id, run_id in db.execute("SELECT signature_id, run_id FROM run_signatures").fetchall():
        runs_of.setdefault(sig_id, []).append(run_id)
    data["signatures"] = [
        {
            "project": p,
            "signature": {"text": t, "exc_type": e, "message": m, "functions": json.loads(f), "digest": d},
            "runs": runs_of.get(sig_id, []),
        }
        for sig_id, p, t, e, m, f, d in db.execute(
            "SELECT id, project, text, exc_type, message, functions, digest FROM signatures ORDER BY id"
        ).fetchall()
    ]
    data["fix_cards"] = [asdict(card) for card in cards(db)]
    path.write_text(json.dumps(data, indent=1))
    return {k: len(data[k]) for k in ("runs", "attempts", "signatures", "fix_cards")}


def cards(db: Database) -> list[FixCard]:
    """Every fix card of the store, oldest first."""
    rows = db.execute(
        f"SELECT {CARD_COLUMNS} FROM fix_cards c JOIN signatures s ON s.id = c.signature_id ORDER BY c.num"
    ).fetchall()
    return [card_from_row(row) for row in rows]


def _rows(db: Database, table: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    return [dict(zip(columns, r)) for r in db.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()]


def import_(store: ImportTarget, data: dict[str, Any]) -> dict[str, int]:
    """Merge an export (`load`) into `store` inside the caller's transaction; returns what was new."""
    conn = store.db
    counts = {"runs": 0, "attempts": 0, "signatures": 0, "fix_cards": 0}
    new_runs: set[str] = set()
    for run in data.get("runs", []):
        run = {"resume": "", "resumed_from": "", **run}
        run["resume"] = resume_text(json_object(run["resume"]), store.clean)
        values = [store.clean(run[c]) if c in _REDACTED_COLUMNS and run[c] else run[c] for c in _RUN_COLUMNS]
        marks = ", ".join("?" * len(values))
        if conn.execute(
            f"INSERT INTO runs({', '.join(_RUN_COLUMNS)}) VALUES ({marks}) ON CONFLICT DO NOTHING", values
        ).rowcount:
            new_runs.add(run["id"])
    counts["runs"] = len(new_runs)
    for attempt in data.get("attempts", []):
        if attempt["run_id"] not in new_runs:
            continue
        attempt = {"fingerprint": "", **attempt}
        values = [store.clean(attempt[c]) if c in _REDACTED_COLUMNS else attempt[c] for c in _ATTEMPT_COLUMNS]
        marks = ", ".join("?" * len(values))
        conn.execute(f"INSERT INTO attempts({', '.join(_ATTEMPT_COLUMNS)}) VALUES ({marks})", values)
        counts["attempts"] += 1
    before = conn.execute("SELECT count(*) FROM signatures").fetchone()[0]
    items = data.get("signatures", [])
    sig_ids = store.signature_ids(
        [(_signature(i["signature"]), i["project"], False) for i in items], seen=False
    )
    for item, sig_id in zip(items, sig_ids):
        for run_id in item.get("runs", []):
            conn.execute(
                "INSERT INTO run_signatures(run_id, signature_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (run_id, sig_id),
            )
    counts["signatures"] = conn.execute("SELECT count(*) FROM signatures").fetchone()[0] - before
    raws = data.get("fix_cards", [])
    stored = _existing(conn, "fix_cards", [raw["id"] for raw in raws])
    runs = _existing(conn, "runs", [raw["run_id"] for raw in raws if raw["run_id"]])
    new_cards: list[FixCard] = []
    for raw in raws:
        if raw["id"] in stored:
            continue
        stored.add(raw["id"])
        fields = {
            **raw,
            "signature": _signature(raw["signature"]),
            "files": tuple(raw["files"]),
            "symbols": tuple(raw["symbols"]),
            "run_id": raw["run_id"] if raw["run_id"] in runs else None,
            "digest": "",  # the store computes it from the redacted diff
        }
        new_cards.append(FixCard(**fields))
    counts["fix_cards"] = len(store.add_fix_cards(new_cards))
    return counts


def resume_text(resume: dict[str, Any], clean: Callable[[str], str]) -> str:
    """The `runs.resume` column: what resuming a run needs, as JSON, its settings redacted (the rest, attempt
    numbers, targets and file hashes, is not text a secret could be in, and a hash must stay as it is)."""
    if "settings" in resume:
        resume = {**resume, "settings": _cleaned(resume["settings"], clean)}
    return json.dumps(resume, sort_keys=True) if resume else ""


def _cleaned(value: Any, clean: Callable[[str], str]) -> Any:
    """`value` (JSON data) with every string value redacted (keys, setting names, are kept)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {k: _cleaned(v, clean) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v, clean) for v in value]
    return value


def json_object(text: str) -> dict[str, Any]:
    """A JSON object column's value ({} when empty or not an object)."""
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _existing(db: Database, table: str, ids: list[str]) -> set[str]:
    """Which of `ids` are the ids of rows of `table`."""
    found: set[str] = set()
    for chunk in chunks(ids):
        rows = db.execute(f"SELECT id FROM {table} WHERE id IN (VALUES {rows_marks(len(chunk), 1)})", chunk)
        found.update(r[0] for r in rows.fetchall())
    return found


def load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise UserError(
            f"Cannot read {path} ({exc}); pass a file written by `untilgreen memory export`."
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version", 0) > VERSION:
        raise UserError(f"{path} is not an untilgreen memory export this version can read.")
    return data


def _signature(raw: dict[str, Any]) -> Signature:
    return Signature(raw["text"], raw["exc_type"], raw["message"], tuple(raw["functions"]), raw["digest"])


class CardStore(Protocol):
    """What `copy_cards` reads from and writes to: two stores."""

    db: Database

    def cards_with_digests(self, digests: Sequence[str]) -> dict[str, str]: ...

    def add_fix_cards(self, cards: list[FixCard]) -> list[str]: ...

    def reviews(self, card_id: str) -> list[tuple[str, bool, float]]: ...

    def review(
        self, card_id: str, accepted: bool, *, reviewer: str | None = None, at: float | None = None
    ) -> None: ...


def copy_cards(source: CardStore, target: CardStore) -> dict[str, int]:
    """Copy every fix card of `source` that `target` lacks (same content digest = same card), with every member's
    verdicts; runs stay where they were. Running it again copies nothing new. The target redacts again.

    The missing cards go to the target in one batch (its bulk path when they are many)."""
    every = cards(source.db)
    ids = target.cards_with_digests([card.digest for card in every])
    missing: dict[str, FixCard] = {}
    for card in every:
        if card.digest not in ids:
            missing.setdefault(card.digest, card)
    added = target.add_fix_cards(
        [
            dataclasses.replace(c, id="", run_id=None, digest="", status="pending", uses=0)
            for c in missing.values()
        ]
    )
    ids.update(zip(missing, added))
    counts = {"fix_cards": len(added), "already_there": len(every) - len(added), "verdicts": 0}
    for card in every:
        verdicts = source.reviews(card.id)
        if not verdicts:
            continue
        card_id = ids[card.digest]
        known = {(reviewer, accepted) for reviewer, accepted, _ in target.reviews(card_id)}
        for reviewer, accepted, at in verdicts:
            if (reviewer, accepted) not in known:
                target.review(card_id, accepted, reviewer=reviewer, at=at)
                counts["verdicts"] += 1
    return counts
