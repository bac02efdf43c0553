"""Recall quality on realistic pairs, project scope, and the known-fix fast path."""

from __future__ import annotations

import difflib

import pytest

from untilgreen.memory import AttemptRecord, FixCard, RunRecord, Store, known_fix, signature
from untilgreen.memory.recall import THRESHOLD
from untilgreen.sandbox.results import Failure

from tests.memory.memory_pairs import make_failure as f

# cause -> (the failure that was fixed and stored, the same cause met again from other tests and files)
SAME_CAUSE: dict[str, tuple[Failure, list[Failure]]] = {
    "zero-division": (
        f(
            "tests/test_cart.py::test_discount_on_empty_cart",
            "ZeroDivisionError",
            "division by zero",
            "apply_discount",
            "ratio",
        ),
        [
            f(
                "tests/test_checkout.py::TestCheckout::test_free_order",
                "ZeroDivisionError",
                "division by zero",
                "checkout",
                "apply_discount",
                "ratio",
            ),
            f(
                "tests/unit/test_pricing.py::test_ratio[zero]",
                "ZeroDivisionError",
                "float division by zero",
                "ratio",
            ),
        ],
    ),
    "missing-setting": (
        f(
            "tests/test_config.py::test_defaults",
            "KeyError",
            "'timeout'",
            "get_setting",
            "_lookup",
            file="app/config.py",
        ),
        [
            f(
                "tests/test_server.py::test_start",
                "KeyError",
                "'port'",
                "serve",
                "get_setting",
                "_lookup",
                file="app/config.py",
            )
        ],
    ),
    "none-user": (
        f(
            "tests/test_mail.py::test_welcome",
            "AttributeError",
            "'NoneType' object has no attribute 'email'",
            "send_welcome",
            "format_address",
        ),
        [
            f(
                "tests/test_jobs.py::test_nightly[batch-3]",
                "AttributeError",
                "'NoneType' object has no attribute 'email'",
                "notify_all",
                "send_welcome",
                "format_address",
            )
        ],
    ),
    "price-parsing": (
        f(
            "tests/test_money.py::test_dollars",
            "AssertionError",
            "assert 1999 == 19.99\n +  where 1999 = parse_price('$19.99')",
        ),
        [
            f(
                "tests/test_invoice.py::test_total_line",
                "AssertionError",
                "assert 500 == 5.0\n +  where 500 = parse_price('$5.00')\n\nUse -v to get more diff",
            )
        ],
    ),
    "off-by-one": (
        f(
            "tests/test_pages.py::test_last_page",
            "IndexError",
            "list index out of range",
            "paginate",
            "last_item",
        ),
        [f("tests/test_feed.py::test_tail", "IndexError", "list index out of range", "last_item")],
    ),
    "bad-int": (
        f(
            "tests/test_forms.py::test_qty",
            "ValueError",
            "invalid literal for int() with base 10: 'abc'",
            "parse_qty",
        ),
        [
            f(
                "tests/test_api.py::test_order_qty",
                "ValueError",
                "invalid literal for int() with base 10: '12.5'",
                "create_order",
                "parse_qty",
            )
        ],
    ),
    "none-compare": (
        f(
            "tests/test_orders.py::test_sort",
            "TypeError",
            "'<' not supported between instances of 'NoneType' and 'int'",
            "sort_orders",
            "<lambda>",
        ),
        [
            f(
                "tests/test_report.py::test_ranking",
                "TypeError",
                "'<' not supported between instances of 'int' and 'NoneType'",
                "rank",
                "sort_orders",
                "<lambda>",
            )
        ],
    ),
    "recursion": (
        f(
            "tests/test_tree.py::test_deep",
            "RecursionError",
            "maximum recursion depth exceeded",
            "walk",
            "walk",
        ),
        [
            f(
                "tests/test_tree.py::test_cycle",
                "RecursionError",
                "maximum recursion depth exceeded while calling a Python object",
                "walk",
                "walk",
            )
        ],
    ),
}

UNRELATED = [
    f(
        "tests/test_io.py::test_load",
        "FileNotFoundError",
        "[Errno 2] No such file or directory: '/tmp/pytest-of-u/pytest-1/test_load0/conf.toml'",
        "load_config",
    ),
    f(
        "tests/test_words.py::test_count",
        "AssertionError",
        "assert 3 == 4\n +  where 3 = count_words('a b c d')",
    ),
    f(
        "tests/test_cart.py::test_add",
        "TypeError",
        "add_item() missing 1 required positional argument: 'qty'",
        "add_item",
    ),
    f("tests/test_stats.py::test_mean", "ZeroDivisionError", "division by zero", "mean", file="app/stats.py"),
    f(
        "tests/test_db.py::test_connect",
        "ConnectionRefusedError",
        "[Errno 111] Connection refused",
        "connect",
        "_open_socket",
    ),
    f("tests/test_users.py::test_lookup", "KeyError", "'alice'", "find_user", "_index"),
]


def card_for(failure: Failure, project: str = "p-this", **kw: object) -> FixCard:
    return FixCard(
        signature=signature(failure),
        diff="--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n",
        project=project,
        summary=f"fix for {failure.test_id}",
        **kw,
    )  # type: ignore[arg-type]


@pytest.fixture
def filled(store: Store) -> dict[str, str]:
    return {cause: store.add_fix_card(card_for(stored)) for cause, (stored, _) in SAME_CAUSE.items()}


def test_same_cause_is_recalled_first_and_above_threshold(store: Store, filled: dict[str, str]) -> None:
    for cause, (_, variants) in SAME_CAUSE.items():
        for variant in variants:
            found = store.recall(signature(variant))
            assert found, f"{cause}: {signature(variant).text} recalled nothing"
            assert found[0].card.id == filled[cause], (
                cause,
                [(r.card.signature.text, r.score) for r in found],
            )
            assert found[0].score >= THRESHOLD


def test_unrelated_failures_recall_nothing(store: Store, filled: dict[str, str]) -> None:
    for failure in UNRELATED:
        found = store.recall(signature(failure))
        assert not found, (signature(failure).text, [(r.card.signature.text, r.score) for r in found])


def test_float_only_scan_agrees_with_prefilter(store: Store, filled: dict[str, str]) -> None:
    for _, variants in SAME_CAUSE.values():
        sig = signature(variants[0])
        fast = [(r.card.id, r.score) for r in store.recall(sig)]
        exact = [(r.card.id, r.score) for r in store.recall(sig, prefilter=False)]
        assert fast == exact


def test_rejected_cards_are_not_recalled(store: Store, filled: dict[str, str]) -> None:
    variant = SAME_CAUSE["bad-int"][1][0]
    store.review(filled["bad-int"], accepted=False)
    assert all(r.card.id != filled["bad-int"] for r in store.recall(signature(variant)))
    store.review(filled["bad-int"], accepted=True)
    assert store.recall(signature(variant))[0].card.status == "accepted"


def test_project_scope_and_cross_project_opt_in(store: Store) -> None:
    stored, (variant, *_) = SAME_CAUSE["none-user"]
    store.add_fix_card(
        card_for(stored, project="p-other", root_cause="user was deleted", verification="3 passed")
    )
    sig = signature(variant)
    assert store.recall(sig) == []  # per project by default
    (rec,) = store.recall(sig, cross_project=True)
    assert not rec.same_project and rec.applied_in == "another project"
    assert rec.card.diff and rec.card.signature.text == signature(stored).text
    assert rec.card.summary == rec.card.root_cause == rec.card.verification == "" and rec.card.run_id is None
    assert rec.card.project == ""


def test_known_fix_applies_only_to_matching_code(store: Store) -> None:
    before = "def ratio(a, b):\n    return a / b\n\n\ndef other():\n    pass\n"
    after = "def ratio(a, b):\n    return a / b if b else 0.0\n\n\ndef other():\n    pass\n"
    diff = "".join(
        difflib.unified_diff(
            before.splitlines(True), after.splitlines(True), "a/app/core.py", "b/app/core.py"
        )
    )
    stored, (variant, *_) = SAME_CAUSE["zero-division"]
    store.add_fix_card(FixCard(signature=signature(stored), diff=diff, project="p-this"))
    found = store.recall(signature(variant))
    moved = "# header\n\n" + before
    (hit,) = known_fix(found, {"app/core.py": moved}.get)
    assert hit[1] == {"app/core.py": "# header\n\n" + after}
    assert known_fix(found, {"app/core.py": before.replace("a / b", "a // b")}.get) == []
    assert known_fix(found, {}.get) == []


def test_attempt_from_memory_counts_a_use(store: Store, filled: dict[str, str]) -> None:
    run = store.record_run(RunRecord(project="p-this"))
    store.record_attempt(
        run, AttemptRecord(n=1, source="memory", fix_card=filled["recursion"], outcome="green")
    )
    assert store.card(filled["recursion"]).uses == 1  # type: ignore[union-attr]
    assert store.stats()["attempts_from_memory"] == 1
