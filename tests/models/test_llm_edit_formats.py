"""Parsing model replies into edits: SEARCH/REPLACE blocks in their usual dressings, symbol blocks, bad replies."""

from __future__ import annotations

import subprocess
import sys

import pytest

from untilgreen.models.base import SearchReplace, SymbolReplace, WholeFile
from untilgreen.models.llm.edit_formats import parse_reply, resolve_format

BLOCK = "<<<<<<< SEARCH\n    return a / b\n=======\n    return a / b if b else 0\n>>>>>>> REPLACE\n"
EDIT = SearchReplace("calc/ops.py", "    return a / b\n", "    return a / b if b else 0\n")


@pytest.mark.parametrize(
    "reply",
    [
        f"calc/ops.py\n{BLOCK}",
        f"Division by zero is not guarded.\n\n./calc/ops.py\n```python\n{BLOCK}```\n",
        f"```python\ncalc/ops.py\n{BLOCK}```",
        f"```calc/ops.py\n{BLOCK}```",
        f"**calc/ops.py**\n\n{BLOCK}",
        f"`calc/ops.py`:\n{BLOCK.replace('<<<<<<< SEARCH', '<<<<<<<< SEARCH')}",
    ],
)
def test_search_replace_blocks_in_their_usual_dressings(reply: str) -> None:
    parsed = parse_reply(reply, "search-replace")
    assert parsed.error == "" and parsed.edits == [EDIT]


def test_several_blocks_a_new_file_and_a_path_carried_over() -> None:
    reply = (
        "Two changes.\n\ncalc/ops.py\n" + BLOCK + "\n" + BLOCK.replace("a / b if", "(a / b) if") + "\n"
        "calc/new.py\n<<<<<<< SEARCH\n=======\nVALUE = 1\n>>>>>>> REPLACE\n"
    )
    parsed = parse_reply(reply, "search-replace")
    assert [e.path for e in parsed.edits] == ["calc/ops.py", "calc/ops.py", "calc/new.py"]
    assert parsed.edits[2] == SearchReplace("calc/new.py", "", "VALUE = 1\n")
    assert parsed.explanation == "Two changes."


def test_symbol_blocks() -> None:
    reply = (
        "The guard is missing.\n\n### REPLACE SYMBOL calc/ops.py::Calculator.divide\n```python\n"
        "def divide(self, a, b):\n    return a / b if b else 0\n```\n\n"
        "REPLACE SYMBOL `calc/ops.py::helper`\n\n````\ndef helper():\n    ```\n````\n"
    )
    parsed = parse_reply(reply, "symbol")
    assert parsed.edits == [
        SymbolReplace(
            "calc/ops.py::Calculator.divide", "def divide(self, a, b):\n    return a / b if b else 0\n"
        ),
        SymbolReplace("calc/ops.py::helper", "def helper():\n    ```\n"),
    ]
    assert parsed.explanation == "The guard is missing."


@pytest.mark.parametrize(
    ("reply", "fmt", "error"),
    [
        (
            "The bug is in divide.",
            "search-replace",
            "Your reply had no SEARCH/REPLACE blocks, so there was nothing",
        ),
        (
            "Use this:\n```python\ndef divide(a, b):\n    return 0\n```",
            "search-replace",
            "Your reply had code but",
        ),
        (
            "Replace the return with `return a / b if b else 0`:\n\n    return a / b if b else 0",
            "symbol",
            "Your reply had code but no REPLACE SYMBOL blocks",
        ),
        (
            BLOCK,
            "search-replace",
            "Block 1 has no file path: put the path alone on the line before `<<<<<<< SEARCH`.",
        ),
        (
            "calc/ops.py\n<<<<<<< SEARCH\n    return a / b\n>>>>>>> REPLACE\n",
            "search-replace",
            "Block 1 (for calc/ops.py) is malformed: it has no `=======` line where one belongs.",
        ),
        (
            "calc/ops.py\n<<<<<<< SEARCH\nx\n=======\ny\n",
            "search-replace",
            "Block 1 (for calc/ops.py) is malformed: it has no `>>>>>>> REPLACE` line",
        ),
        (
            "### REPLACE SYMBOL divide\n```\ndef divide(): pass\n```",
            "symbol",
            "Block 1: `divide` is not a symbol id",
        ),
        (
            "### REPLACE SYMBOL calc/ops.py::divide\ndef divide(): pass\n",
            "symbol",
            "Block 1 (calc/ops.py::divide): the REPLACE SYMBOL line must be followed by a fenced code block.",
        ),
        (
            "### REPLACE SYMBOL calc/ops.py::divide\n```\ndef divide(): pass\n",
            "symbol",
            "never closed with ```.",
        ),
    ],
)
def test_unusable_replies_give_a_precise_error_and_no_edits(reply: str, fmt: str, error: str) -> None:
    parsed = parse_reply(reply, fmt)
    assert parsed.edits == [] and error in parsed.error
    assert parsed.error.endswith("`>>>>>>> REPLACE`." if fmt == "search-replace" else "a fenced code block.")


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("openai/gpt-4o", "search-replace"),
        ("anthropic/claude-sonnet-4-5", "search-replace"),
        ("openai/gpt-4o-mini", "search-replace"),
        ("openrouter/qwen/qwen-2.5-coder-32b-instruct", "search-replace"),
        ("ollama/qwen2.5-coder", "symbol"),
        ("ollama_chat/llama3.1", "symbol"),
        ("openai/qwen2.5-coder:7b", "symbol"),
        ("openai/Llama-3.2-3B-Instruct", "symbol"),
        ("openai/qwen2.5-coder:32b", "search-replace"),
    ],
)
def test_auto_picks_symbol_replacement_for_small_local_models(model: str, expected: str) -> None:
    assert resolve_format("auto", model) == expected
    assert resolve_format("search-replace", model) == "search-replace"


def test_importing_the_package_does_not_import_litellm() -> None:
    code = "import sys, untilgreen.models.llm; print('litellm' in sys.modules, 'openai' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


# Messy replies: what real models send (issue 18).

WANTED = [EDIT]


def block(search: str, replace: str) -> str:
    return f"calc/ops.py\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n"


@pytest.mark.parametrize(
    "reply",
    [
        f"Sure! Here is the fix.\n\ncalc/ops.py\n```\n{BLOCK}```\n\nThis guards the division. Hope it helps!",
        f"calc/ops.py\n```py\n{BLOCK}```\nDone.",
        f"Fixed:\ncalc/ops.py\n{BLOCK}\nLet me know.",
        f"calc/ops.py\n{BLOCK}".replace("\n", "\r\n"),
        "calc/ops.py   \n" + BLOCK.replace("SEARCH\n", "SEARCH  \n").replace("=======\n", "=======\t\n"),
    ],
    ids=["prose-around", "fence-with-tag", "no-fence", "crlf", "trailing-whitespace-on-markers"],
)
def test_prose_fences_crlf_and_trailing_whitespace(reply: str) -> None:
    parsed = parse_reply(reply, "search-replace")
    assert parsed.error == "" and parsed.edits == WANTED


def test_tabs_in_a_reply_are_kept_for_the_applier_to_match() -> None:
    reply = (
        "calc/ops.py\n<<<<<<< SEARCH\n\treturn a / b\n=======\n\treturn a / b if b else 0\n>>>>>>> REPLACE\n"
    )
    [edit] = parse_reply(reply, "search-replace").edits
    assert edit == SearchReplace("calc/ops.py", "\treturn a / b\n", "\treturn a / b if b else 0\n")


@pytest.mark.parametrize(
    "elided",
    [
        "    ...",
        "    # ... rest unchanged",
        "    // ...",
        "    # existing code",
        "    # ... (rest of the function)",
    ],
)
def test_elisions_in_a_replacement_are_refused_with_the_reason(elided: str) -> None:
    reply = block("    x = 1\n    return a / b\n", f"    x = 2\n{elided}\n")
    parsed = parse_reply(reply, "search-replace")
    assert parsed.edits == []
    assert f"Block 1 (for calc/ops.py) leaves code out with `{elided.strip()}`" in parsed.error
    assert "would delete the lines it stands for" in parsed.error


def test_an_ellipsis_that_is_real_code_is_not_an_elision() -> None:
    stub = block("", "class P(Protocol):\n    def f(self): ...\n    def g(self):\n        ...\n")
    kept = block("    ...\n    x = 1\n", "    ...\n    x = 2\n")
    assert parse_reply(stub, "search-replace").error == ""
    assert parse_reply(kept, "search-replace").error == ""


WHOLE = "def divide(a, b):\n    return a / b if b else 0\n"


@pytest.mark.parametrize(
    ("reply", "shown"),
    [
        (f"The fixed file:\n\ncalc/ops.py\n```python\n{WHOLE}```\n", ()),
        (f"```calc/ops.py\n{WHOLE}```", ("a.py", "b.py")),
        (f"Here is the corrected code:\n```python\n{WHOLE}```\nThat's all.", ("calc/ops.py",)),
    ],
    ids=["path-line", "fence-info", "one-file-shown"],
)
def test_one_fence_without_markers_is_a_whole_file_when_its_file_is_known(
    reply: str, shown: tuple[str, ...]
) -> None:
    parsed = parse_reply(reply, "search-replace", shown)
    assert parsed.error == "" and parsed.edits == [WholeFile("calc/ops.py", WHOLE)]
    assert "calc/ops.py" not in parsed.explanation


@pytest.mark.parametrize(
    ("reply", "shown"),
    [
        (f"```python\n{WHOLE}```", ()),
        (f"```python\n{WHOLE}```", ("calc/ops.py", "calc/other.py")),
        (f"calc/ops.py\n```python\n{WHOLE}```\nand\n```\nx = 1\n```", ()),
        (f"calc/ops.py\n```python\n{WHOLE}", ()),  # never closed: maybe cut off
    ],
    ids=["no-file", "two-files-shown", "two-fences", "unclosed"],
)
def test_a_fence_whose_file_is_unknown_is_refused(reply: str, shown: tuple[str, ...]) -> None:
    parsed = parse_reply(reply, "search-replace", shown)
    assert parsed.edits == [] and "Your reply had code but no SEARCH/REPLACE blocks" in parsed.error


def test_a_whole_file_with_an_elision_is_refused() -> None:
    parsed = parse_reply(f"calc/ops.py\n```python\n{WHOLE}\n# ... rest of the file unchanged\n```", "x")
    assert parsed.edits == [] and "leaves code out with `# ... rest of the file unchanged`" in parsed.error


DIFF = """\
The divisor can be zero.

```diff
diff --git a/calc/ops.py b/calc/ops.py
index 1234567..89abcde 100644
--- a/calc/ops.py
+++ b/calc/ops.py
@@ -10,3 +10,3 @@ def divide(a, b):
 def divide(a, b):
-    return a / b
+    return a / b if b else 0

@@ -40,2 +40,3 @@
 def helper():
+    pass
--- /dev/null
+++ b/calc/new.py
@@ -0,0 +1 @@
+VALUE = 1
```
"""


def test_a_unified_diff_becomes_one_edit_per_hunk() -> None:
    parsed = parse_reply(DIFF, "search-replace")
    assert parsed.error == "", parsed.error
    assert parsed.edits == [
        SearchReplace(
            "calc/ops.py",
            "def divide(a, b):\n    return a / b\n",
            "def divide(a, b):\n    return a / b if b else 0\n",
        ),
        SearchReplace("calc/ops.py", "def helper():\n", "def helper():\n    pass\n"),
        SearchReplace("calc/new.py", "", "VALUE = 1\n"),
    ]
    assert parsed.explanation.startswith("The divisor can be zero.")


@pytest.mark.parametrize(
    ("diff", "error"),
    [
        (
            "--- a/calc/ops.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x = 1\n",
            "The diff deletes calc/ops.py; files are never deleted",
        ),
        ("--- a/calc/ops.py\n+++ b/calc/ops.py\n@@ -1,0 +2 @@\n+x = 1\n", "has no context or removed lines"),
        (
            "--- a/calc/ops.py\n+++ b/calc/ops.py\nno hunk here\n",
            "The diff for calc/ops.py has no `@@` hunk.",
        ),
    ],
)
def test_unusable_diffs_are_refused(diff: str, error: str) -> None:
    parsed = parse_reply(diff, "search-replace")
    assert parsed.edits == [] and error in parsed.error


def test_a_fenced_diff_or_output_is_never_taken_as_a_whole_file() -> None:
    for tag in ("diff", "text", "console"):
        parsed = parse_reply(f"```{tag}\n@@ -1 +1 @@\n-x\n+y\n```", "search-replace", ("calc/ops.py",))
        assert parsed.edits == [], tag


def test_a_diff_running_to_the_end_of_the_reply_is_marked_unterminated() -> None:
    hunk = "--- a/calc/ops.py\n+++ b/calc/ops.py\n@@ -1 +1 @@\n def divide(a, b):\n-    return a\n+    return"
    assert parse_reply(hunk, "search-replace").unterminated
    assert not parse_reply(f"```diff\n{hunk}\n```\nDone.", "search-replace").unterminated
