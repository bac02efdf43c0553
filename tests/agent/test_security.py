"""The security review of every patch: real ruff, real runs with scripted repairers. A patch that makes the tests
green and also adds `subprocess` with `shell=True`, `eval`, `pickle.loads` or a hard-coded password is reported
with its attempt, in the result, in `fix --json` and in the CLI's text; findings the file already had are not; with
`review.refuse_security` such a candidate is refused and a clean one wins."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from tests.agent.test_goal import goal_request
from tests.agent.conftest import RIGHT, SHOP, Events, Scripted, candidate, request_for, write_tree
from tests.support.goal_project import CODE, FAILURE, GOAL, TEST_SOURCE, write_project, write_tests
from tests.support.projects import block
from tests.support.scripted_llm import ScriptedLLM, when
from untilgreen import agent
from untilgreen.agent import RunRequest, goal_mutation
from untilgreen.agent.security import new_findings
from untilgreen.cli import main
from untilgreen.models.base import SearchReplace
from untilgreen.protocol import AttemptValidated, Finding, RunFinished
from untilgreen.settings import build, load_settings

ANCHOR = "def apply_discount(total):"


def adding(code: str) -> SearchReplace:
    """An edit of shop/pricing.py that puts `code` before apply_discount (the tests still pass with it)."""
    return SearchReplace("shop/pricing.py", ANCHOR, f"{code}\n\n\n{ANCHOR}")


SHELL = adding("def export(cmd):\n    import subprocess\n\n    return subprocess.run(cmd, shell=True)")
EVAL = adding("def parse_rate(text):\n    return eval(text)")
PICKLE = adding("def load_rules(data):\n    import pickle\n\n    return pickle.loads(data)")
PASSWORD = adding('ADMIN_PASSWORD = "hunter2"')
INSECURE = {
    "shell": (SHELL, "S602", "return subprocess.run(cmd, shell=True)"),
    "eval": (EVAL, "S307", "return eval(text)"),
    "pickle": (PICKLE, "S301", "return pickle.loads(data)"),
    "password": (PASSWORD, "S105", 'ADMIN_PASSWORD = "hunter2"'),
}


def line_of(patched: str, text: str) -> int:
    """The 1-based line of `text` in the patched file."""
    return next(i for i, line in enumerate(patched.splitlines(), 1) if line.strip() == text.strip())


def patched_pricing(*edits: SearchReplace) -> str:
    text = SHOP["shop/pricing.py"]
    for edit in edits:
        text = text.replace(edit.search, edit.replace)
    return text


def fix_cli(root: Path, tmp_path: Path, *flags: str) -> int:
    """`untilgreen fix` in this process (the caller patches `agent.run` to give it a scripted repairer)."""
    return main(
        [
            "fix",
            str(root),
            "--set",
            f"memory.path={tmp_path / 'memory.sqlite3'}",
            "--set",
            "sandbox.test_timeout=5",
            *flags,
        ]
    )


@pytest.mark.parametrize("kind", list(INSECURE))
def test_an_insecure_green_patch_is_reported_in_the_result_and_fix_json(
    kind: str,
    shop: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    edit, code, text = INSECURE[kind]
    events = Events()
    real_run = agent.run

    def run(request: RunRequest, on_event=None, cancel=None):  # type: ignore[no-untyped-def]
        def both(event):  # type: ignore[no-untyped-def]
            events(event)
            if on_event is not None:
                on_event(event)

        return real_run(request, both, cancel, repairers=[Scripted([candidate(RIGHT, edit)])])

    monkeypatch.setattr(agent, "run", run)
    exit_code = fix_cli(shop, tmp_path, "--json")
    out = json.loads(capsys.readouterr().out)
    assert exit_code == 0 and out["green"], out
    line = line_of(patched_pricing(RIGHT, edit), text)
    [finding] = out["security"]
    assert (finding["path"], finding["line"], finding["code"]) == ("shop/pricing.py", line, code)
    assert finding["message"]
    assert set(finding) == {"path", "line", "code", "message"}
    # the attempt and the run's last event carry the same finding
    [validated] = events.of(AttemptValidated)
    assert validated.outcome == "green" and [f.code for f in validated.security] == [code]
    assert events.of(RunFinished)[0].security == [Finding(**finding)]


def test_the_text_output_warns_under_the_diff_with_file_line_code_and_message(
    shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        agent, "run", functools.partial(agent.run, repairers=[Scripted([candidate(RIGHT, SHELL)])])
    )
    assert fix_cli(shop, tmp_path) == 0
    out, err = capsys.readouterr()
    line = line_of(patched_pricing(RIGHT, SHELL), "return subprocess.run(cmd, shell=True)")
    assert "+    return subprocess.run(cmd, shell=True)" in out  # the diff, on stdout as before
    assert "security review: the patch adds 1 finding (ruff's flake8-bandit rules):" in err
    assert f"  shop/pricing.py:{line}: S602 `subprocess` call with `shell=True` identified" in err
    assert f"  security: shop/pricing.py:{line}: `subprocess` call" in err  # with the attempt's line too


def test_a_clean_patch_has_no_findings_and_the_key_is_an_empty_list(
    shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(agent, "run", functools.partial(agent.run, repairers=[Scripted([candidate(RIGHT)])]))
    assert fix_cli(shop, tmp_path, "--json") == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["security"] == [] and "security" not in err


def test_findings_the_file_already_had_are_not_reported(tmp_path: Path) -> None:
    """A pre-existing `eval` below the patch (its line shifts) is not new; a second `eval` added would be."""
    legacy = "\n\ndef legacy_rate(text):\n    return eval(text)\n"
    root = write_tree(tmp_path / "shop", {**SHOP, "shop/pricing.py": SHOP["shop/pricing.py"] + legacy})
    result = agent.run(
        request_for(root, tmp_path), Events(), repairers=[Scripted([candidate(RIGHT, PICKLE)])]
    )
    assert result.green, result.message
    assert [(f.code, f.path) for f in result.security] == [("S301", "shop/pricing.py")]
    before = SHOP["shop/pricing.py"] + legacy
    assert new_findings({"shop/pricing.py": (before, before.replace(ANCHOR, "X = 1\n\n\n" + ANCHOR))}) == []
    again = new_findings({"shop/pricing.py": (before, before + legacy.replace("legacy_rate", "other_rate"))})
    assert [(f.code, f.line) for f in again] == [("S307", before.count("\n") + 4)]
    # the lint guard's rules are not the review's, and a test's `assert` is no finding
    assert new_findings({"tests/test_x.py": ("", "def test_x():\n    assert missing\n")}) == []


def test_with_refuse_security_the_insecure_candidate_is_refused_and_a_clean_one_wins(
    shop: Path, tmp_path: Path
) -> None:
    events = Events()
    repairer = Scripted([candidate(RIGHT, EVAL)], [candidate(RIGHT)])
    result = agent.run(
        request_for(shop, tmp_path, review__refuse_security=True), events, repairers=[repairer]
    )
    assert result.green and result.attempts == 2, result.message
    assert "eval" not in result.diff and result.security == []
    first, second = events.of(AttemptValidated)
    assert (first.outcome, [f.code for f in first.security]) == ("refused", ["S307"])
    assert "security findings" in first.detail and "S307" in first.detail
    assert second.outcome == "green" and second.security == []
    told = repairer.requests[1].attempts[0]  # the repairer is told why, as for the lint guard
    assert told.outcome == "refused" and "S307" in told.detail


def test_refuse_security_is_trusted_a_project_cannot_set_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.untilgreen.review]\nrefuse_security = false\n")
    settings, ignored = load_settings(tmp_path, environ={"UNTILGREEN_REVIEW_REFUSE_SECURITY": "1"})
    assert settings.review.refuse_security is True
    settings, ignored = load_settings(
        tmp_path,
        environ={},
        user_config=tmp_path / "none.toml",
        overrides={"review": {"refuseSecurity": True}},
    )
    assert settings.review.refuse_security is True
    (tmp_path / "pyproject.toml").write_text("[tool.untilgreen.review]\nrefuse_security = true\n")
    settings, ignored = load_settings(tmp_path, environ={}, user_config=tmp_path / "none.toml")
    assert settings.review.refuse_security is False and "review.refuse_security" in ignored[0]
    assert build({}).review.refuse_security is False


def test_goal_json_carries_the_findings_of_the_whole_patch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Goal mode's final diff (tests and code) is reviewed as one patch: the tests' asserts are no finding, the
    code's hard-coded password is."""
    monkeypatch.setattr(goal_mutation, "MAX_MUTANTS", 1)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    root = write_project(tmp_path / "textkit")
    code = (
        CODE
        + "\n"
        + block("textkit/strings.py", "def shout(text):\n", 'DB_PASSWORD = "s3cret"\n\n\ndef shout(text):\n')
    )
    write_code = when(contains=[GOAL, TEST_SOURCE, FAILURE], then=code, otherwise="I cannot see the tests.")
    with ScriptedLLM(write_tests(), write_code) as llm:
        request = goal_request(root, llm.url, tmp_path)
        result = agent.run(request, Events())
    assert result.green, result.message
    summary = result.summary_json()
    assert summary["mode"] == "goal"
    assert [(f["path"], f["code"]) for f in summary["security"]] == [("textkit/strings.py", "S105")]
