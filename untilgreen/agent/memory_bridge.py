"""The run's side of memory: record the run and its attempts, turn a green patch into fix cards, and recall past
fixes as localization hints and as known fixes to try before any model call.

Memory helps but never stops a run: if the database cannot be used, the run goes on without it (said once).
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from datetime import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from untilgreen.errors import UserError
from untilgreen.models.base import Candidate, FileWrite

if TYPE_CHECKING:
    from untilgreen.context.model import Hint
    from untilgreen.memory import Recollection, Signature, Store
    from untilgreen.models.llm.card_writer import CardText
    from untilgreen.sandbox.results import Failure
    from untilgreen.settings import Settings

log = logging.getLogger(__name__)
RECALL_K = 3


@dataclass
class AttemptNote:
    """What the run record keeps of one candidate."""

    number: int
    candidate: Candidate
    outcome: str
    tests: str
    diff: str
    duration_s: float
    fingerprint: str = ""


class MemoryBridge:
    def __init__(self, store: Store | None, cross_project: bool, problem: str = "") -> None:
        self.store = store
        self.cross_project = cross_project
        self.problem = problem  # why memory is off, for a notice
        self.on_problem: Callable[[str], None] | None = None  # told when memory goes off mid-run
        self.run_id = "r-" + uuid.uuid4().hex[:10]

    @classmethod
    def open(cls, settings: Settings, root: Path) -> MemoryBridge:
        from untilgreen.memory import Store, default_path

        memory = settings.memory
        where = memory.url and "the team memory" or memory.path or default_path()
        try:
            store = Store.configured(memory, root, embedder=memory.embedder)
        except UserError as err:  # says what to do in its own words
            return cls(None, False, f"memory is off for this run: {err}")
        except Exception as err:  # noqa: BLE001 - a broken memory must not stop a repair
            return cls(None, False, f"memory is off for this run: {where} could not be opened ({err})")
        notices = [store.notice]
        if memory.read_only:
            notices.append(
                "memory is read-only (memory.read_only): this run recalls fixes but records nothing"
            )
        return cls(store, memory.cross_project, "; ".join(n for n in notices if n))

    def _guard(self, action: Callable[[Store], object]) -> object:
        if self.store is None:
            return None
        try:
            return action(self.store)
        except Exception as err:  # noqa: BLE001 - see the module docstring
            from untilgreen.memory.db import is_corrupt

            log.warning("memory disabled for the rest of the run: %s", err)
            if is_corrupt(err) and self.store.path is not None:
                self.problem = self._set_aside(self.store, self.store.path, err)
            else:
                said = (
                    f": {err}" if isinstance(err, UserError) else f" ({err})"
                )  # a UserError says what to do
                self.problem = "memory is off for the rest of this run" + said
                # closed, so that a team store's pool stops reconnecting in the background
                with contextlib.suppress(Exception):
                    self.store.close()
            self.store = None
            if self.on_problem is not None:
                self.on_problem(self.problem)
            return None

    @staticmethod
    def _set_aside(store: Store, path: Path, err: Exception) -> str:
        """A file found damaged mid-run is closed and moved aside, so the next run starts a fresh store."""
        from untilgreen.memory.db import set_aside_damaged

        store.close()
        return "memory is off for the rest of this run: " + set_aside_damaged(path, err)

    def start(self, mode: str, goal: str, model: str, command: str, resumed_from: str = "") -> None:
        from untilgreen.memory import RunRecord

        def record(store: Store) -> None:
            run = RunRecord(store.project or "", mode, goal, command, model, resumed_from=resumed_from)
            self.run_id = store.record_run(run)

        self._guard(record)

    def spent_today(self) -> float | None:
        """US dollars the day's runs spent so far (since local midnight); None when memory is off."""
        midnight = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
        spent = self._guard(lambda store: store.spent_since(midnight))
        return spent if isinstance(spent, float) else None

    def signatures(self, failures: Sequence[Failure]) -> list[Signature]:
        from untilgreen.memory import signature

        sigs = list({s.digest: s for s in map(signature, failures)}.values())
        self._guard(lambda store: store.record_signatures(self.run_id, sigs))
        return sigs

    def recall(self, sigs: Sequence[Signature]) -> list[Recollection]:
        def find(store: Store) -> list[Recollection]:
            seen: dict[str, Recollection] = {}
            for sig in sigs:
                for rec in store.recall(sig, k=RECALL_K, cross_project=self.cross_project):
                    if rec.card.id not in seen or seen[rec.card.id].score < rec.score:
                        seen[rec.card.id] = rec
            return sorted(seen.values(), key=lambda r: -r.score)

        return self._guard(find) or []  # type: ignore[return-value]

    def known_fixes(self, recs: Sequence[Recollection], read: Callable[[str], str | None]) -> list[Candidate]:
        """The recalled fixes that apply cleanly to the current code, as whole-file candidates."""
        from untilgreen.memory import known_fix

        return [
            Candidate(
                [FileWrite(path, text) for path, text in files.items()],
                f"memory:{rec.card.id}",
                explanation=f"replays a fix that worked in {rec.applied_in}: {rec.card.summary}".strip(": "),
            )
            for rec, files in known_fix(list(recs), read)
        ]

    def record_attempt(self, note: AttemptNote) -> None:
        from untilgreen.memory import AttemptRecord

        cand = note.candidate
        kind = cand.source.split(":", 1)[0]
        record = AttemptRecord(
            n=note.number,
            source=kind if kind in ("builtin", "memory") else "model",  # type: ignore[arg-type]
            model=cand.source,
            prompt=cand.prompt,
            response=cand.response,
            tokens_in=cand.usage.prompt_tokens,
            tokens_out=cand.usage.completion_tokens,
            cost=cand.usage.cost_usd or 0.0,
            duration_s=round(note.duration_s, 3),
            tests=note.tests,
            diff=note.diff,
            outcome=note.outcome,
            fix_card=cand.source.split(":", 1)[1] if kind == "memory" else None,
            fingerprint=note.fingerprint,
        )
        self._guard(lambda store: store.record_attempt(self.run_id, record))

    def fix_cards(
        self,
        sigs: Sequence[Signature],
        winner: Candidate,
        diff: str,
        symbols: Sequence[str],
        verification: str,
        text: CardText | None = None,
    ) -> None:
        """One card per distinct target signature the patch made green (a replayed card is not stored again); its
        summary and root cause are `text` when a model wrote them, else taken from the winner's explanation."""
        from untilgreen.memory import FixCard

        if winner.source.startswith("memory:"):
            return
        explained = winner.explanation.strip()
        line, root_cause = (
            (text.summary, text.root_cause) if text else ((explained.splitlines() or ["fix"])[0], explained)
        )
        summary = f"[{winner.source}] " + line[:200]

        def add(store: Store) -> None:
            for sig in sigs:
                store.add_fix_card(
                    FixCard(
                        sig,
                        diff,
                        store.project or "",
                        summary=summary,
                        root_cause=root_cause[:2000],
                        symbols=tuple(symbols),
                        verification=verification,
                        run_id=self.run_id,
                    )
                )

        self._guard(add)

    def finish(
        self, outcome: str, stop_reason: str, diff: str, resume: dict[str, object] | None = None
    ) -> None:
        """`resume`: what resuming the run needs (agent.resume.kept)."""
        self._guard(
            lambda store: store.finish_run(
                self.run_id, outcome, stop_reason=stop_reason, final_diff=diff, resume=resume
            )
        )

    def close(self) -> None:
        self._guard(lambda store: store.close())
        self.store = None


def hints(recs: Sequence[Recollection]) -> list[Hint]:
    """Symbols fixed for similar signatures, for `Index.localize(hints=...)`."""
    from untilgreen.context.model import Hint

    return [
        Hint(symbol, rec.score, f"fixed for a similar failure in {rec.applied_in}")
        for rec in recs
        for symbol in rec.card.symbols
    ]
