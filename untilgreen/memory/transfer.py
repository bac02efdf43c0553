"""Export to and import from a JSON file (vectors are not exported: the importing store embeds again)."""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, Protocol

from untilgreen.errors import UserError
from untilgreen.memory.backend import Database
from untilgreen.memory.recall import CARD_COLUMNS, card_from_row
from untilgreen.memory.records import FixCard
from untilgreen.memory.signature import Signature


class ImportTarget(Protocol):
    """What an import writes through (the store): its database, its redaction and its record keeping."""

    db: Database

    def clean(self, text: str) -> str: ...

    def signature_id(self, sig: Signature, project: str, *, seen: bool) -> int: ...

    def add_fix_card(self, card: FixCard) -> str: ...


FORMAT = "untilgreen-memory"
VERSION = 1
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


def import_(store: ImportTarget, path: Path) -> dict[str, int]:
    """Merge `path` into `store` inside the caller's transaction; returns what was new."""
    data = _load(path)
    conn = store.db
    counts = {"runs": 0, "attempts": 0, "signatures": 0, "fix_cards": 0}
    new_runs: set[str] = set()
    for run in data.get("runs", []):
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
        values = [store.clean(attempt[c]) if c in _REDACTED_COLUMNS else attempt[c] for c in _ATTEMPT_COLUMNS]
        marks = ", ".join("?" * len(values))
        conn.execute(f"INSERT INTO attempts({', '.join(_ATTEMPT_COLUMNS)}) VALUES ({marks})", values)
        counts["attempts"] += 1
    before = conn.execute("SELECT count(*) FROM signatures").fetchone()[0]
    for item in data.get("signatures", []):
        sig = _signature(item["signature"])
        sig_id = store.signature_id(sig, item["project"], seen=False)
        for run_id in item.get("runs", []):
            conn.execute(
                "INSERT INTO run_signatures(run_id, signature_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (run_id, sig_id),
            )
    counts["signatures"] = conn.execute("SELECT count(*) FROM signatures").fetchone()[0] - before
    for raw in data.get("fix_cards", []):
        if conn.execute("SELECT 1 FROM fix_cards WHERE id = ?", (raw["id"],)).fetchone():
            continue
        run_known = (
            raw["run_id"] and conn.execute("SELECT 1 FROM runs WHERE id = ?", (raw["run_id"],)).fetchone()
        )
        fields = {
            **raw,
            "signature": _signature(raw["signature"]),
            "files": tuple(raw["files"]),
            "symbols": tuple(raw["symbols"]),
            "run_id": raw["run_id"] if run_known else None,
            "digest": "",  # the store computes it from the redacted diff
        }
        store.add_fix_card(FixCard(**fields))
        counts["fix_cards"] += 1
    return counts


def _load(path: Path) -> dict[str, Any]:
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

    def card_with_digest(self, digest: str) -> str | None: ...

    def add_fix_card(self, card: FixCard) -> str: ...

    def reviews(self, card_id: str) -> list[tuple[str, bool, float]]: ...

    def review(
        self, card_id: str, accepted: bool, *, reviewer: str | None = None, at: float | None = None
    ) -> None: ...


def copy_cards(source: CardStore, target: CardStore) -> dict[str, int]:
    """Copy every fix card of `source` that `target` lacks (same content digest = same card), with every member's
    verdicts; runs stay where they were. Running it again copies nothing new. The target redacts again."""
    counts = {"fix_cards": 0, "already_there": 0, "verdicts": 0}
    for card in cards(source.db):
        card_id = target.card_with_digest(card.digest)
        if card_id is None:
            card_id = target.add_fix_card(
                dataclasses.replace(card, id="", run_id=None, digest="", status="pending", uses=0)
            )
            counts["fix_cards"] += 1
        else:
            counts["already_there"] += 1
        known = {(reviewer, accepted) for reviewer, accepted, _ in target.reviews(card_id)}
        for reviewer, accepted, at in source.reviews(card.id):
            if (reviewer, accepted) not in known:
                target.review(card_id, accepted, reviewer=reviewer, at=at)
                counts["verdicts"] += 1
    return counts
