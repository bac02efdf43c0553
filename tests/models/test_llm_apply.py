"""The matching ladder of `apply_edits`: exact, whitespace-tolerant, indentation-relative; errors that help."""

from __future__ import annotations

import textwrap

from untilgreen.context.chunker import chunk_file
from untilgreen.models.base import FileWrite, SearchReplace, SymbolReplace
from untilgreen.models.llm.apply import apply_edits

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
    assert error.endswith("Block(s) 1 applied.")
    assert "a // b" in result.files["bank/ops.py"]  # what applied is kept: the loop decides


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
    assert result.message.endswith("No block applied.")
