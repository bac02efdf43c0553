"""`untilgreen fix` agrees with pytest on what a fixed target is: a target that skips itself once the bug is gone
(its body reaches `pytest.importorskip`) is what plain pytest calls a success, so the run is green."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap


def test_a_target_that_skips_itself_after_the_fix_is_green(tmp_path):
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "cart.py").write_text("def total(prices):\n    return sum(prices) - 1\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_cart.py").write_text(
        textwrap.dedent("""\
        import pytest

        from shop.cart import total


        def test_total_then_the_optional_part():
            assert total([1, 2]) == 3
            pytest.importorskip("no_such_module_for_untilgreen")


        def test_single():
            assert total([5]) == 5
    """)
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "untilgreen",
            "fix",
            str(tmp_path),
            "--json",
            "--model",
            "builtin",
            "--set",
            f"memory.path={tmp_path / 'memory.sqlite3'}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = json.loads(done.stdout)
    assert (done.returncode, result["green"], result["stop_reason"]) == (0, True, "green"), done.stderr
    assert "-    return sum(prices) - 1\n" in result["diff"]
