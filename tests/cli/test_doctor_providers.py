"""`untilgreen doctor` on the model setting: the provider litellm will call, where, which key and what is missing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.cli.test_check_cli import EXAMPLE, untilgreen
from untilgreen.models.llm.provider import OLLAMA_BASE, describe
from untilgreen.settings import Settings

SECRET = "sk-ant-never-printed-4f9Q"


@pytest.fixture(autouse=True)
def no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENROUTER_API_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("model", "api_base", "provider", "base", "key_env"),
    [
        ("anthropic/claude-sonnet-4-5", "", "anthropic", None, "ANTHROPIC_API_KEY"),
        (
            "anthropic/claude-x",
            "http://127.0.0.1:9/",
            "anthropic",
            "http://127.0.0.1:9/",
            "ANTHROPIC_API_KEY",
        ),
        ("ollama/llama3.1", "", "ollama", OLLAMA_BASE, None),
        ("ollama_chat/llama3.1", "http://gpu:11434", "ollama_chat", "http://gpu:11434", None),
        ("openrouter/meta/llama-3", "", "openrouter", None, "OPENROUTER_API_KEY"),
        ("openai/gpt-4o-mini", "", "openai", None, "OPENAI_API_KEY"),
        ("openai/local", "http://127.0.0.1:8000/v1", "openai", "http://127.0.0.1:8000/v1", None),
    ],
)
def test_the_provider_its_base_and_its_key(
    model: str, api_base: str, provider: str, base: str | None, key_env: str | None
) -> None:
    found = describe(Settings(model=model, api_base=api_base))
    assert (found.name, found.api_base, found.key_env, found.key_needed) == (
        provider,
        base,
        key_env,
        bool(key_env),
    )
    assert found.missing == ([f"{key_env} is not set; export the API key in it."] if key_env else [])


def test_a_set_key_an_own_key_variable_an_unknown_provider_and_prices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    known = describe(Settings(model="anthropic/claude-sonnet-4-5"))
    assert (known.key_set, known.missing, known.price_known) == (True, [], True)
    assert not describe(Settings(model="anthropic/made-up")).price_known
    own = describe(Settings(model="openai/local", api_base="http://127.0.0.1:8000/v1", api_key_env="MY_KEY"))
    assert (own.key_env, own.key_set, own.missing) == (
        "MY_KEY",
        False,
        ["MY_KEY is not set; export the API key in it."],
    )
    unknown = describe(Settings(model="no-such-model"))
    assert unknown.name is None and unknown.missing[0].startswith(
        "litellm knows no provider for `no-such-model`"
    )


def test_doctor_text_and_json_show_the_provider_without_the_key() -> None:
    env = {"UNTILGREEN_MODEL": "anthropic/claude-x", "ANTHROPIC_API_KEY": SECRET, "COLUMNS": "200"}
    text = untilgreen("doctor", str(EXAMPLE), env=env)
    assert text.returncode == 0, text.stderr
    assert (
        "provider     anthropic at its public API, key in $ANTHROPIC_API_KEY: set; price unknown for "
        "anthropic/claude-x" in text.stdout
    )
    done = untilgreen("doctor", str(EXAMPLE), "--json", env={**env, "ANTHROPIC_API_KEY": ""})
    model = json.loads(done.stdout)["model"]
    assert model["model"] == "anthropic/claude-x" and model["repairer"] == "llm"  # the keys that were there
    assert model["provider"] == {
        "name": "anthropic",
        "api_base": None,
        "key_needed": True,
        "key_env": "ANTHROPIC_API_KEY",
        "key_set": False,
        "price_known": False,
        "missing": ["ANTHROPIC_API_KEY is not set; export the API key in it."],
    }
    assert SECRET not in text.stdout + text.stderr + done.stdout + done.stderr


def test_litellm_stays_off_the_startup_path() -> None:
    code = "import sys, untilgreen.cli, untilgreen.cli.doctor; assert 'litellm' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def test_the_serve_extra_stays_off_every_other_startup_path() -> None:
    """Starlette and uvicorn are imported by `untilgreen serve` alone: not by the parser (every subcommand
    registered), nor the language server, nor the worker."""
    code = (
        "import sys, untilgreen.cli, untilgreen.server.language_server, untilgreen.cli.worker; "
        "untilgreen.cli.build_parser(); "
        "assert not {'starlette', 'uvicorn'} & set(sys.modules), sorted({'starlette', 'uvicorn'} & set(sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
