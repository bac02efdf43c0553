"""Parsing model replies into edits: SEARCH/REPLACE blocks in their usual dressings, symbol blocks, bad replies."""

from __future__ import annotations

import subprocess
import sys

import pytest

from untilgreen.models.base import SearchReplace, SymbolReplace
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
