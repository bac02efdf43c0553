"""Messy model replies through the parser and the applier: is each one applied or refused as it should be?

Run: python benchmarks/bench_messy_replies.py

Each case is a reply as models send them (prose, fences, wrong paths, CRLF, tabs, diffs, whole files, elisions,
cut-off replies, ...) with what should happen to it. It is parsed as the LLM repairer does (with the files the
prompt showed and the reply's `finish_reason`) and applied as the loop does (paths resolved against the
project's files, new files only in goal mode). Prints a table and the share of replies applied; exits 1 when a
case does not go as expected.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from untilgreen.models.base import Usage
from untilgreen.models.llm.apply import apply_edits
from untilgreen.models.llm.client import Completion
from untilgreen.models.llm.edit_formats import parse_reply
from untilgreen.models.llm.repairer import cut_off

PRICING = (
    '"""Prices and discounts."""\n\n\ndef apply_discount(price, percent):\n'
    "    return price - price * percent / 10\n\n\ndef total(prices):\n    return sum(prices)\n"
)
FILES = {
    "src/shop/__init__.py": "",
    "src/shop/pricing.py": PRICING,
    "src/shop/util.py": "ROUND = 2\n",
    "src/shop/crlf.py": "A = 1\r\nB = 2\r\n",
    "tests/util.py": "HELPER = 1\n",
    "tests/test_pricing.py": "from shop.pricing import apply_discount\n",
}
OLD = "    return price - price * percent / 10\n"
NEW = "    return price - price * percent / 100\n"
FIXED = PRICING.replace(OLD, NEW)


def block(path: str, search: str = OLD, replace: str = NEW) -> str:
    return f"{path}\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n"


def diff(path: str, minus: str = OLD, plus: str = NEW) -> str:
    return (
        f"--- a/{path}\n+++ b/{path}\n@@ -4,2 +4,2 @@\n def apply_discount(price, percent):\n-{minus}+{plus}"
    )


RIGHT = block("src/shop/pricing.py")
MARKERS = RIGHT.split("\n", 1)[1]  # the block without its path line


@dataclass(frozen=True)
class Case:
    name: str
    reply: str
    expected: str  # "apply" or "refuse"
    mode: str = "fix"
    shown: tuple[str, ...] = ("src/shop/pricing.py", "src/shop/util.py")
    finish_reason: str = "stop"


CASES = [
    Case("prose around blocks", f"The divisor is wrong.\n\n{RIGHT}\nThis fixes it. Anything else?", "apply"),
    Case("fence with language tag", f"src/shop/pricing.py\n```python\n{MARKERS}```", "apply"),
    Case("fence without tag", f"```\n{RIGHT}```", "apply"),
    Case("path in the fence info", f"```src/shop/pricing.py\n{MARKERS}```", "apply"),
    Case("no fence", RIGHT, "apply"),
    Case("path without src/", block("shop/pricing.py"), "apply"),
    Case("path with ./", block("./src/shop/pricing.py"), "apply"),
    Case("path with the project folder", block("myshop/src/shop/pricing.py"), "apply"),
    Case("bare file name", block("pricing.py"), "apply"),
    Case("CRLF reply", RIGHT.replace("\n", "\r\n"), "apply"),
    Case(
        "tab-indented reply",
        block("pricing.py", OLD.replace("    ", "\t"), NEW.replace("    ", "\t")),
        "apply",
    ),
    Case("trailing whitespace", block("src/shop/pricing.py  ", OLD.replace("\n", "   \n")), "apply"),
    Case("CRLF file", block("src/shop/crlf.py", "A = 1\n", "A = 10\n"), "apply"),
    Case("two blocks, both match", RIGHT + block("src/shop/util.py", "ROUND = 2\n", "ROUND = 3\n"), "apply"),
    Case("whole file, path named", f"Fixed file:\n\nsrc/shop/pricing.py\n```python\n{FIXED}```", "apply"),
    Case("whole file, one file shown", f"```python\n{FIXED}```", "apply", shown=("src/shop/pricing.py",)),
    Case("unified diff", f"```diff\n{diff('src/shop/pricing.py')}```", "apply"),
    Case("unified diff, bare name", diff("pricing.py"), "apply"),
    Case("new file in goal mode", block("src/shop/rates.py", "", "RATE = 100\n"), "apply", mode="goal"),
    Case("cut off after its last block", RIGHT, "apply", finish_reason="length"),
    Case("ambiguous bare name", block("util.py", "ROUND = 2\n", "ROUND = 3\n"), "refuse"),
    Case("elision `...`", block("src/shop/pricing.py", replace=NEW + "\n...\n"), "refuse"),
    Case(
        "elision `# ... rest unchanged`",
        block("pricing.py", replace=NEW + "    # ... rest unchanged\n"),
        "refuse",
    ),
    Case("elision `// ...`", block("pricing.py", replace="    // ...\n" + NEW), "refuse"),
    Case("elision `# existing code`", block("pricing.py", replace="    # existing code\n" + NEW), "refuse"),
    Case("whole file, no path, two shown", f"```python\n{FIXED}```", "refuse"),
    Case("whole file that is a fragment", f"src/shop/pricing.py\n```python\n{NEW}```", "refuse"),
    Case("diff hunk that does not match", diff("src/shop/pricing.py", "    return price / 10\n"), "refuse"),
    Case(
        "diff deleting a file", "--- a/src/shop/util.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-ROUND = 2\n", "refuse"
    ),
    Case(
        "two blocks, one does not match",
        RIGHT + block("src/shop/util.py", "ROUND = 9\n", "ROUND = 3\n"),
        "refuse",
    ),
    Case("new file in fix mode", block("src/shop/rates.py", "", "RATE = 100\n"), "refuse"),
    Case("empty reply", "", "refuse"),
    Case("cut off inside a block", RIGHT[: RIGHT.index("=======")], "refuse", finish_reason="length"),
    Case(
        "diff cut off at its end",
        diff("pricing.py", plus="    return price -\n"),
        "refuse",
        finish_reason="length",
    ),
    Case(
        "fenced diff without headers",
        f"```diff\n@@ -5 +5 @@\n-{OLD}+{NEW}```",
        "refuse",
        shown=("src/shop/pricing.py",),
    ),
]


def outcome(case: Case) -> tuple[str, str]:
    """("apply" or "refuse", the first line of the reason told to the model)."""
    completion = Completion(case.reply, Usage(), case.finish_reason)
    parsed = cut_off(parse_reply(case.reply, "search-replace", case.shown), completion)
    if parsed.error:
        return "refuse", parsed.error
    result = apply_edits(parsed.edits, FILES.get, files=FILES, create=case.mode != "fix")
    return ("apply", "") if result.ok else ("refuse", result.message)


def main() -> int:
    rows = []
    for case in CASES:
        got, why = outcome(case)
        reason = why.splitlines()[0] if why else ""
        rows.append((case.name, case.expected, got, reason[:70] + ("..." if len(reason) > 70 else "")))
    print("| case | expected | got | told to the model |\n| --- | --- | --- | --- |")
    for name, expected, got, reason in rows:
        mark = "" if got == expected else " **(wrong)**"
        print(f"| {name} | {expected} | {got}{mark} | {reason} |")
    applied = sum(got == "apply" for _, _, got, _ in rows)
    should = sum(expected == "apply" for _, expected, _, _ in rows)
    right = sum(got == expected for _, expected, got, _ in rows)
    print(
        f"\n{right}/{len(rows)} as expected; share applied {applied}/{len(rows)} ({applied / len(rows):.0%}); "
        f"should apply {should}/{len(rows)}"
    )
    return 0 if right == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
