"""The matching ladder of `apply_edits`: exact, whitespace-tolerant, indentation-relative; errors that help."""

from __future__ import annotations

import textwrap
from dataclasses import replace

import pytest

from untilgreen.context.chunker import chunk_file
from untilgreen.models.base import FileWrite, SearchReplace, SymbolReplace, WholeFile
from untilgreen.models.llm.apply import apply_edits
from untilgreen.models.llm.edit_formats import parse_reply

OPS = textwrap.dedent(
    """\
    def divide(a, b):
        return a / b


    class Account:
        def __init__(self, balance):
            self.balance = balance

        def withdraw(self, amount):
            if amount > self.balance:
                raise ValueError("insufficient funds")
            self.balance -= amount
            return self.balance
    """
)


def run(*edits, chunks=None, text=OPS):
    return apply_edits(list(edits), lambda path: text if path == "bank/ops.py" else None, chunks)


def test_exact_match_replaces_the_lines() -> None:
    result = run(SearchReplace("bank/ops.py", "    return a / b\n", "    return a / b if b else 0\n"))
    assert result.ok and result.applied == [0]
    assert "    return a / b if b else 0\n" in result.files["bank/ops.py"]
    assert result.files["bank/ops.py"].count("\n") == OPS.count("\n")


def test_trailing_whitespace_and_blank_lines_are_tolerated() -> None:
    search = '        if amount > self.balance:   \n\n            raise ValueError("insufficient funds")\n'
    replace = '        if amount >= self.balance:\n            raise ValueError("insufficient funds")\n'
    result = run(SearchReplace("bank/ops.py", search, replace))
    assert result.ok, result.message
    assert "if amount >= self.balance:" in result.files["bank/ops.py"]


def test_relative_indentation_matches_and_the_replacement_is_reindented() -> None:
    search = 'if amount > self.balance:\n    raise ValueError("insufficient funds")\nself.balance -= amount\n'
    replace = 'if amount > self.balance:\n    raise ValueError("no")\nself.balance -= amount\n'
    result = run(SearchReplace("bank/ops.py", search, replace))
    assert result.ok, result.message
    new = result.files["bank/ops.py"]
    assert '        if amount > self.balance:\n            raise ValueError("no")\n' in new
    assert "        self.balance -= amount\n        return self.balance\n" in new


def test_no_match_names_the_file_and_shows_the_nearest_real_lines() -> None:
    result = run(
        SearchReplace("bank/ops.py", "    return a / b\n", "    return a // b\n"),
        SearchReplace("bank/ops.py", "        if amount > balance:\n            raise KeyError()\n", "x\n"),
    )
    assert result.applied == [0] and len(result.errors) == 1
    error = result.message
    assert error.startswith("Block 2 (bank/ops.py): the SEARCH text does not match the file.")
    assert "   10 |         if amount > self.balance:" in error
    assert '   11 |             raise ValueError("insufficient funds")' in error
    assert error.endswith(
        "Nothing was applied: the blocks of a reply apply together or not at all (block(s) 1 would have applied)."
    )
    assert "a // b" in result.files["bank/ops.py"]  # what applied is kept: the caller refuses the reply


def test_ambiguous_search_is_refused_with_the_line_numbers() -> None:
    text = "x = 1\ny = 2\nx = 1\n"
    result = run(SearchReplace("bank/ops.py", "x = 1\n", "x = 3\n"), text=text)
    assert result.errors == [
        "Block 1 (bank/ops.py): the SEARCH text matches 2 places (lines 1, 3); include more surrounding lines "
        "so it matches exactly one."
    ]


def test_empty_search_creates_a_missing_file_and_a_missing_file_is_reported() -> None:
    result = run(
        SearchReplace("bank/new.py", "", "VALUE = 1\n"),
        SearchReplace("bank/gone.py", "a\n", "b\n"),
    )
    assert result.files == {"bank/new.py": "VALUE = 1\n"}
    assert "Block 2 (bank/gone.py): the file does not exist" in result.errors[0]


def test_file_writes_set_and_delete() -> None:
    result = run(FileWrite("bank/ops.py", None), FileWrite("bank/other.py", "A = 1\n"))
    assert result.ok and result.files == {"bank/ops.py": None, "bank/other.py": "A = 1\n"}


def test_crlf_files_keep_their_line_endings() -> None:
    text = "a = 1\r\nb = 2\r\n"
    result = run(SearchReplace("bank/ops.py", "a = 1\n", "a = 10\nc = 3\n"), text=text)
    assert result.files["bank/ops.py"] == "a = 10\r\nc = 3\r\nb = 2\r\n"


def by_id(text: str = OPS):
    index = {c.id: c for c in chunk_file("bank/ops.py", text)}
    return index.get


def test_symbol_replace_reindents_a_method_written_at_column_zero() -> None:
    new_method = "def withdraw(self, amount):\n    self.balance -= min(amount, self.balance)\n    return self.balance\n"
    result = run(SymbolReplace("bank/ops.py::Account.withdraw", new_method), chunks=by_id())
    assert result.ok, result.message
    new = result.files["bank/ops.py"]
    assert "    def withdraw(self, amount):\n        self.balance -= min(amount, self.balance)\n" in new
    assert "raise ValueError" not in new and new.startswith("def divide(a, b):\n")


def test_symbol_replace_after_an_edit_above_finds_the_shifted_symbol() -> None:
    result = run(
        SearchReplace("bank/ops.py", "def divide(a, b):\n", "def divide(a, b):\n    # guard\n"),
        SymbolReplace("bank/ops.py::divide", "def divide(a, b):\n    return a / b if b else 0.0\n"),
        SymbolReplace(
            "bank/ops.py::Account.__init__", "def __init__(self, balance=0):\n    self.balance = balance\n"
        ),
        chunks=by_id(),
    )
    assert result.applied == [0, 2]
    assert "was changed by an earlier block" in result.errors[0]
    assert "    def __init__(self, balance=0):\n" in result.files["bank/ops.py"]


def test_symbol_replace_refuses_an_elided_class_and_unknown_ids() -> None:
    result = run(
        SymbolReplace("bank/ops.py::Account", "class Account:\n    pass\n"),
        SymbolReplace("bank/ops.py::Nope", "x = 1\n"),
        chunks=by_id(),
    )
    assert "shown with its methods elided" in result.errors[0]
    assert "`bank/ops.py::Nope` is not a known symbol" in result.errors[1]
    assert result.message.endswith("Nothing was applied: the blocks of a reply apply together or not at all.")


# Messy replies: paths, tabs, diffs, whole files, new files (issue 18).

PROJECT = {
    "src/bank/ops.py": OPS,
    "src/bank/__init__.py": "",
    "src/bank/util.py": "X = 1\n",
    "tests/util.py": "Y = 1\n",
}
GUARD = SearchReplace("?", "    return a / b\n", "    return a / b if b else 0\n")


def in_project(*edits, create=False):
    return apply_edits(list(edits), PROJECT.get, files=PROJECT, create=create)


@pytest.mark.parametrize(
    "path",
    [
        "src/bank/ops.py",
        "bank/ops.py",
        "./bank/ops.py",
        "ops.py",
        "shop/src/bank/ops.py",
        "src\\bank\\ops.py",
    ],
)
def test_a_path_resolves_when_exactly_one_project_file_matches(path: str) -> None:
    result = in_project(replace(GUARD, path=path))
    assert result.ok, result.message
    assert list(result.files) == ["src/bank/ops.py"]


def test_an_ambiguous_path_is_refused_naming_the_candidates() -> None:
    result = in_project(SearchReplace("util.py", "X = 1\n", "X = 2\n"))
    assert result.errors == [
        "Block 1 (util.py): the path util.py matches 2 project files (src/bank/util.py, tests/util.py); "
        "write the path relative to the project root."
    ]


def test_a_missing_file_is_created_only_when_allowed() -> None:
    new = SearchReplace("src/bank/new.py", "", "VALUE = 1\n")
    refused = in_project(new)
    assert (
        refused.files == {}
        and "the file does not exist, and a fix edits existing files only" in refused.message
    )
    assert in_project(new, create=True).files == {"src/bank/new.py": "VALUE = 1\n"}


def test_tab_indented_blocks_match_a_file_indented_with_spaces() -> None:
    result = run(
        SearchReplace(
            "bank/ops.py",
            '\tif amount > self.balance:\n\t\traise ValueError("insufficient funds")\n',
            '\tif amount >= self.balance:\n\t\traise ValueError("insufficient funds")\n',
        )
    )
    assert result.ok, result.message
    assert (
        '        if amount >= self.balance:\n            raise ValueError("insufficient funds")\n'
        in result.files["bank/ops.py"]
    )


def test_tabs_are_kept_in_a_file_indented_with_tabs() -> None:
    result = run(SearchReplace("bank/ops.py", "\tx = 1\n", "\tx = 2\n"), text="def f():\n\tx = 1\n")
    assert result.files["bank/ops.py"] == "def f():\n\tx = 2\n"


def test_a_diff_hunk_that_does_not_match_is_refused() -> None:
    [hunk] = parse_reply(
        "--- a/bank/ops.py\n+++ b/bank/ops.py\n@@ -1,2 +1,2 @@\n"
        " def divide(a, b):\n-    return a // b\n+    return a / b\n",
        "x",
    ).edits
    result = run(hunk)
    assert "Block 1 (bank/ops.py): the SEARCH text does not match the file." in result.message


def test_several_blocks_one_failing_names_the_failing_block() -> None:
    result = run(
        SearchReplace("bank/ops.py", "    return a / b\n", "    return a // b\n"),
        SearchReplace("bank/ops.py", "    return self.missing\n", "    return 0\n"),
        SearchReplace(
            "bank/ops.py", "            self.balance -= amount\n", "            self.balance -= abs(amount)\n"
        ),
    )
    assert result.applied == [0, 2] and not result.ok
    assert result.message.startswith("Block 2 (bank/ops.py): the SEARCH text does not match")
    assert result.message.endswith("apply together or not at all (block(s) 1, 3 would have applied).")


def test_a_whole_file_replaces_an_existing_file_and_keeps_its_line_endings() -> None:
    new = OPS.replace("return a / b", "return a / b if b else 0")
    assert run(WholeFile("bank/ops.py", new)).files == {"bank/ops.py": new}
    crlf = run(WholeFile("bank/ops.py", "a = 2\nb = 2\n"), text="a = 1\r\nb = 2\r\n")
    assert crlf.files == {"bank/ops.py": "a = 2\r\nb = 2\r\n"}


def test_a_whole_file_that_is_a_fragment_or_names_no_file_is_refused() -> None:
    fragment = run(WholeFile("bank/ops.py", "def divide(a, b):\n    return 0\n"))
    assert "under half of the file's 10 non-blank lines, so it looks like a fragment" in fragment.message
    missing = run(WholeFile("bank/nope.py", "x = 1\n"))
    assert "a whole-file block must name an existing file" in missing.message
