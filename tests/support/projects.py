"""A small failing project on disk, with a planted secret in `.env`, and what a model should answer about it.

    project = failing_project(tmp_path)
    llm = ScriptedLLM(project.judge(then=project.right_fix, otherwise=project.wrong_fix))

`judge` answers the right fix only when the prompt holds the failing test's source, the failure message, the
previous attempt's outcome (from the second request on) and no secret; so a run going green proves the prompt.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.scripted_llm import Request, Turn, when
from untilgreen.context import Index
from untilgreen.models.base import RepairRequest
from untilgreen.sandbox import Failure, Frame, TestReport, Workspace

PLANTED_SECRET = "planted-Secret-7Qx2Lm9w"  # the value in the project's .env; must never reach a model
TOKEN_LOOKING = "sk-proj-Zx81Qm4LpT0vW9sK2yB7d"  # an API-key-shaped literal in the code; masked in prompts

PRICING = '''\
"""Prices and discounts."""


def apply_discount(price, percent):
    """The price after taking `percent` percent off."""
    return price - price * percent / 10


def total(prices):
    return sum(prices)
'''

TESTS = f'''\
from shop.pricing import apply_discount, total


def test_ten_percent_off():
    client_key = "{TOKEN_LOOKING}"
    assert client_key
    assert apply_discount(200, 10) == 180


def test_no_discount():
    assert apply_discount(50, 0) == 50


def test_total():
    assert total([1, 2]) == 3
'''


def block(path: str, search: str, replace: str) -> str:
    return f"{path}\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n"


@dataclass
class FailingProject:
    root: Path
    files: dict[str, str]
    target: str = "tests/test_pricing.py::test_ten_percent_off"
    failure_message: str = "assert 0.0 == 180"  # what pytest reports for the target
    test_source_marker: str = "assert apply_discount(200, 10) == 180"  # a line of the failing test's source
    secret: str = PLANTED_SECRET
    right_fix: str = field(
        default=(
            "The discount divides by 10 instead of 100.\n\n"
            + block(
                "shop/pricing.py",
                "    return price - price * percent / 10\n",
                "    return price - price * percent / 100\n",
            )
        )
    )
    wrong_fix: str = field(
        default=(
            "The discount is too large.\n\n"
            + block(
                "shop/pricing.py",
                "    return price - price * percent / 10\n",
                "    return price - price * percent / 1000\n",
            )
        )
    )
    wrong_failure_message: str = "assert 198.0 == 180"  # what the wrong fix fails with

    def judge(
        self, *, then: Turn | None = None, otherwise: Turn | None = None, after_attempt: bool = False
    ) -> Turn:
        """A turn answering `then` (the right fix) only for a prompt that proves it was built right: it holds the
        failing test's source and the failure message, and neither the planted secret nor the token-looking
        literal; with `after_attempt`, and always from this turn's second request on, it must also hold the
        outcome of the wrong fix (its failure message). Otherwise it answers `otherwise` (the wrong fix).
        """
        seen: list[Request] = []

        def turn(request: Request) -> Turn:
            seen.append(request)
            needed = [self.test_source_marker, self.failure_message]
            if after_attempt or len(seen) > 1:
                needed.append(self.wrong_failure_message)
            return when(
                contains=needed,
                excludes=[self.secret, TOKEN_LOOKING],
                then=then or self.right_fix,
                otherwise=otherwise or self.wrong_fix,
            )

        return turn

    def failure(self, message: str = "") -> Failure:
        """The target's failure as `run_tests` reports it (checked by a test), without running the tests."""
        message = message or self.failure_message
        return Failure(
            test_id=self.target,
            kind="failed",
            exc_type="AssertionError",
            message=f"{message}\n +  where 0.0 = apply_discount(200, 10)",
            frames=[Frame("tests/test_pricing.py", 7, "test_ten_percent_off")],
            output=(
                "tests/test_pricing.py:7: in test_ten_percent_off\n    assert apply_discount(200, 10) == 180\n"
                f"E   {message}\nE    +  where 0.0 = apply_discount(200, 10)"
            ),
        )

    def request(self, workspace: Workspace, index_dir: Path, **fields: object) -> RepairRequest:
        """A fix-mode request for the target, with the context the context engine packs for it."""
        report = TestReport(
            passed=["tests/test_pricing.py::test_no_discount", "tests/test_pricing.py::test_total"],
            failures=[self.failure()],
        )
        with Index.for_root(workspace.path, cache_dir=index_dir) as index:
            context = index.localize(report)
        values: dict[str, object] = {
            "mode": "fix",
            "workspace": workspace,
            "report": report,
            "targets": [self.target],
            "failures": report.failures,
            "context": context,
        }
        values.update(fields)
        return RepairRequest(**values)  # type: ignore[arg-type]


def failing_project(base: Path, name: str = "shop") -> FailingProject:
    """Write the project under `base / name`: `shop/pricing.py` (a discount divided by 10, not 100), its tests
    (one failing), a `.env` holding `PLANTED_SECRET` and a `.gitignore`."""
    files = {
        "shop/__init__.py": "",
        "shop/pricing.py": PRICING,
        "tests/test_pricing.py": TESTS,
        ".env": f"SHOP_API_TOKEN={PLANTED_SECRET}\nDEBUG=true\n",
        "pyproject.toml": textwrap.dedent(
            """\
            [project]
            name = "shop"
            version = "0.1.0"
            """
        ),
    }
    root = base / name
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return FailingProject(root=root, files=files)
