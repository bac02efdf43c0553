"""A small green project, a goal for it, and what a model should answer in each step of goal mode.

    with ScriptedLLM(write_tests(), write_code()) as llm: ...

`write_tests` answers the tests only when the prompt holds the goal text; `write_code` answers the code only when
the prompt holds the goal, the new test's source and its failure (the missing `slugify`), so a green run proves
the prompts of both steps.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.projects import block
from tests.support.scripted_llm import Turn, when

GOAL = (
    "add a slugify(text) to textkit/strings.py that lowercases the text and joins its runs of letters and "
    "digits with single hyphens"
)
STRINGS = '''"""String helpers."""


def shout(text):
    return text.upper() + "!"
'''
FILES = {
    "textkit/__init__.py": "",
    "textkit/strings.py": STRINGS,
    "tests/test_strings.py": (
        'from textkit.strings import shout\n\n\ndef test_shout():\n    assert shout("hi") == "HI!"\n'
    ),
    "pyproject.toml": '[project]\nname = "textkit"\nversion = "0"\n',
}
NEW_TESTS = """from textkit.strings import slugify


def test_lowercases_and_joins_words():
    assert slugify("Hello World") == "hello-world"


def test_collapses_and_trims_separators():
    assert slugify("  --Hello,   World 42!-- ") == "hello-world-42"
"""
TEST_SOURCE = "def test_lowercases_and_joins_words"  # in the code step's prompt: the new test's source
FAILURE = "cannot import name 'slugify'"  # in the code step's prompt: how the new tests fail
PLAN = "Plan: add slugify() to textkit/strings.py, tested on case, punctuation and hyphen runs."

TESTS = f"{PLAN}\n\n" + block("tests/test_slugify.py", "", NEW_TESTS)
CODE = (
    "slugify does not exist yet; add it.\n\n"
    + block(
        "textkit/strings.py",
        "def shout(text):\n",
        'def slugify(text):\n    words = re.findall(r"[a-z0-9]+", text.lower())\n    return "-".join(words)\n\n\n'
        "def shout(text):\n",
    )
    + "\n"
    + block("textkit/strings.py", '"""String helpers."""\n', '"""String helpers."""\n\nimport re\n')
)
VACUOUS = "Plan: call slugify.\n\n" + block(
    "tests/test_slugify.py",
    "",
    "from textkit.strings import slugify\n\n\ndef test_runs():\n    slugify('A b')\n",
)
INVALID = "Plan: test slugify.\n\n" + block(
    "tests/test_slugify.py",
    "",
    "from textkit.strings import slugify\n\n\ndef test_broken(:\n    assert slugify('A')\n",
)
ALREADY_MET = "Plan: test shout.\n\n" + block(
    "tests/test_shout_more.py",
    "",
    "from textkit.strings import shout\n\n\ndef test_shout_word():\n    assert shout('go') == 'GO!'\n",
)
EDIT_FROZEN = "The test is too strict.\n\n" + block(
    "tests/test_slugify.py",
    '    assert slugify("Hello World") == "hello-world"\n',
    '    assert slugify("Hello World") is None\n',
)
CODE_IN_TESTS_STEP = "Plan: write the code first.\n\n" + block(
    "textkit/strings.py", "def shout(text):\n", "def slugify(text):\n    return text\n\n\ndef shout(text):\n"
)


def write_project(root: Path) -> Path:
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def write_tests(reply: str = TESTS, also: tuple[str, ...] = ()) -> Turn:
    """The tests, if the prompt holds the goal (and `also`)."""
    return when(contains=[GOAL, *also], then=reply, otherwise="Plan: I was not told the goal.")


def write_code(*also: str) -> Turn:
    """The code, if the prompt holds the goal, the new test's source and its failure (and `also`)."""
    return when(contains=[GOAL, TEST_SOURCE, FAILURE, *also], then=CODE, otherwise="I cannot see the tests.")
