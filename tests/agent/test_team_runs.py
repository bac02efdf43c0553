"""Runs on the team store (a real PostgreSQL): a teammate's fix is the first thing tried, and a server that dies
in the middle of a run costs the run its memory, not its result."""

from __future__ import annotations

from pathlib import Path

import psycopg

from tests.agent.conftest import RIGHT, SHOP, Events, Scripted, candidate, request_for, write_tree
from tests.support.pg import PgServer

from untilgreen.agent import run
from untilgreen.memory.verdict import record_verdict
from untilgreen.memory import Store
from untilgreen.models.base import Candidate, RepairRequest
from untilgreen.models.builtin import BuiltinRepairer, prior_from_recollections
from untilgreen.models.builtin.operators import BASE_PRIOR
from untilgreen.protocol import Notice

REMOTE = '[remote "origin"]\n\turl = https://git.example.com/team/shop.git\n'


def clone(tmp_path: Path, name: str) -> Path:
    """A checkout of the shop with the team's remote: every clone has the same project key."""
    root = write_tree(tmp_path / name, SHOP)
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text(REMOTE)
    return root


def test_a_teammates_fix_is_tried_first(team_url: str, tmp_path: Path) -> None:
    ana, bo = clone(tmp_path, "ana"), clone(tmp_path, "bo")
    first = run(
        request_for(ana, tmp_path, memory__url=team_url, memory__label="ana"),
        Events(),
        repairers=[Scripted([candidate(RIGHT)])],
    )
    assert first.green and first.repairer == "scripted"
    ana_settings = request_for(ana, tmp_path, memory__url=team_url, memory__label="ana").settings
    assert record_verdict(ana_settings, ana, first.run_id, accepted=True) == ""  # ana applied it
    untouched = Scripted()
    second = run(
        request_for(bo, tmp_path, memory__url=team_url, memory__label="bo"), Events(), repairers=[untouched]
    )
    assert second.green and second.repairer == "memory" and second.attempts == 1
    assert untouched.requests == [] and second.diff == first.diff
    with Store.open(url=team_url) as store:
        assert store.stats()["runs"] == 2
        ((origin, status),) = store.db.execute("SELECT origin, status FROM fix_cards").fetchall()
        assert (origin, status) == ("ana", "accepted")


def test_the_server_dying_mid_run_costs_memory_not_the_result(pg: PgServer, tmp_path: Path) -> None:
    database = pg.fresh_database()
    url = pg.url(database)
    root = clone(tmp_path, "shop")

    def kill_then_answer(request: RepairRequest) -> list:
        pg.kill()
        return [candidate(RIGHT)]

    events = Events()
    try:
        result = run(
            request_for(root, tmp_path, memory__url=url), events, repairers=[Scripted(kill_then_answer)]
        )
        assert result.green, result.message
        notices = [e.message for e in events.of(Notice) if "memory is off" in e.message]
        assert len(notices) == 1, notices
        assert "memory is off for the rest of this run: The team memory at" in notices[0]
        assert "cannot be reached" in notices[0] and "check memory.url" in notices[0]
    finally:
        pg.restart()  # back for the other tests
    with psycopg.connect(pg.url(database)) as conn:  # what reached the server before it died is whole
        runs = conn.execute("SELECT id, finished FROM runs").fetchall()
        assert len(runs) == 1 and runs[0][1] is None  # recorded at the start, never finished
        assert conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM fix_cards").fetchone()[0] == 0
        sigs = conn.execute("SELECT count(*) FROM signatures").fetchone()[0]
        assert sigs == conn.execute("SELECT count(*) FROM sig_emb").fetchone()[0] == 1


class Recording:
    """The real built-in repairer, keeping the requests it was given."""

    def __init__(self, repairer: BuiltinRepairer) -> None:
        self.repairer, self.name, self.requests = repairer, repairer.name, list[RepairRequest]()

    def propose(self, request: RepairRequest) -> list[Candidate]:
        self.requests.append(request)
        return self.repairer.propose(request)


def test_a_builtin_fix_from_the_team_store_raises_the_builtin_repairers_prior(
    team_url: str, tmp_path: Path
) -> None:
    """Another project's fix, recalled across projects from the team store, steers the built-in repairer."""
    ana = clone(tmp_path, "ana")
    settings = request_for(ana, tmp_path, memory__url=team_url, memory__label="ana").settings
    first = run(request_for(ana, tmp_path, memory__url=team_url, memory__label="ana"), Events())
    assert first.green and first.repairer == "builtin"
    assert record_verdict(settings, ana, first.run_id, accepted=True) == ""
    at_50 = {  # the same kind of bug, in another project (no remote: another project key)
        **SHOP,
        "shop/pricing.py": SHOP["shop/pricing.py"].replace("100", "50"),
        "tests/test_cart.py": SHOP["tests/test_cart.py"]
        .replace('"lamp", 50, 2', '"lamp", 25, 2')
        .replace("== 90.0", "== 45.0"),
    }
    other = write_tree(tmp_path / "other", at_50)
    builtin = Recording(BuiltinRepairer.from_settings(settings))
    second = run(
        request_for(other, tmp_path, memory__url=team_url, memory__label="bo", memory__cross_project=True),
        Events(),
        repairers=[builtin],
    )
    assert second.green and second.repairer == "builtin" and "+    if total >= 50:" in second.diff
    [recalled] = builtin.requests[0].recollections
    assert recalled.card.diff == first.diff
    prior = prior_from_recollections(builtin.requests[0].recollections)
    assert prior["comparison"] > 1.5 * BASE_PRIOR["comparison"]
