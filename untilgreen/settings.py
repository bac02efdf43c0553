"""One typed `Settings`, layered: defaults < user config < project pyproject < UNTILGREEN_* env < CLI/editor.

Every setting has one dotted name used everywhere: `sandbox.timeout` in TOML, `UNTILGREEN_SANDBOX_TIMEOUT` in the
environment, `--sandbox-timeout` style flags in the CLI, `sandbox.timeout` (camelCase keys) in editor settings.
Settings that can send data or code elsewhere, or turn off a safeguard, are *trusted*: a project's pyproject.toml
cannot set them, so a cloned repository cannot redirect the user's API key, open the sandbox or let insecure patches
through.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from untilgreen.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

ENV_PREFIX = "UNTILGREEN_"


def _setting(default: Any, help: str, *, trusted: bool = False, choices: tuple[str, ...] = ()) -> Any:
    meta = {"help": help, "trusted": trusted, "choices": choices}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class SandboxSettings:
    isolation: str = _setting("auto", "isolation layer", choices=("auto", "bubblewrap", "landlock", "limits"))
    timeout: float = _setting(300.0, "wall-clock seconds for one test run")
    test_timeout: float = _setting(30.0, "seconds one test may take (buggy code loops forever)")
    memory_mb: int = _setting(
        4096, "address-space limit in MiB (0 turns it off, for runtimes that reserve much)"
    )
    cpu_seconds: int = _setting(600, "CPU seconds for one test run")
    file_size_mb: int = _setting(512, "largest file a test may write, in MiB")
    processes: int = _setting(512, "processes a test run may have")
    tmp_size_mb: int = _setting(512, "size of the private /tmp in MiB")
    network: bool = _setting(False, "let tests reach the network", trusted=True)
    env_passthrough: list[str] = _setting([], "environment variables passed to tests", trusted=True)


@dataclass(frozen=True)
class MemorySettings:
    path: str = _setting("", "memory database file (empty: the user data directory)", trusted=True)
    cross_project: bool = _setting(False, "recall fixes from other projects (signatures and diffs only)")
    embedder: str = _setting("hash-ngram-384", "embedder id, or litellm:<model>", trusted=True)
    url: str = _setting(
        "", "team memory: a PostgreSQL URL (postgresql://...) used instead of the file", trusted=True
    )
    password_env: str = _setting(
        "",
        "team memory: the variable holding the database password (empty: PGPASSWORD or ~/.pgpass)",
        trusted=True,
    )
    label: str = _setting(
        "", "who you are in the team memory's cards and reviews (empty: unlabelled)", trusted=True
    )
    read_only: bool = _setting(False, "recall from memory but record nothing (for CI agents)")


@dataclass(frozen=True)
class ReviewSettings:
    """What a run does with its review of each patch (the security review, `agent/security.py`).

    `refuse_security` is trusted: the patch is written by a model that reads the project's files, so a cloned
    repository that could turn the refusal off in its pyproject.toml could steer the model to code with security
    findings and past the protection the user chose. Only the user (config, environment, editor, command line)
    sets it; a project that wants it on asks its users to.
    """

    refuse_security: bool = _setting(
        False,
        "refuse a patch that adds security findings (ruff's flake8-bandit rules) instead of only showing them",
        trusted=True,
    )


@dataclass(frozen=True)
class TelemetrySettings:
    otlp_endpoint: str = _setting(
        "",
        "send OpenTelemetry traces of runs to this OTLP/HTTP collector, e.g. http://localhost:4318 (empty: "
        "OTEL_EXPORTER_OTLP_ENDPOINT, else off)",
        trusted=True,
    )


@dataclass(frozen=True)
class Settings:
    model: str = _setting(
        "", "litellm model string, or 'builtin' (empty: the built-in repairer)", trusted=True
    )
    fast_model: str = _setting(
        "",
        "a cheaper model for the first attempts and for fix cards (empty: `model`)",
        trusted=True,
    )
    escalate_after: int = _setting(
        1, "failed attempts of `fast_model` before `model` takes over (0: `fast_model` only writes fix cards)"
    )
    api_base: str = _setting(
        "", "API base URL of the provider or server (empty: the provider's own)", trusted=True
    )
    api_key_env: str = _setting("", "name of the environment variable holding the API key", trusted=True)
    python: str = _setting("", "the project's interpreter (empty: .venv, venv, $VIRTUAL_ENV, python3)")
    test_command: str = _setting("", "test command instead of pytest (generic results)")
    attempts: int = _setting(4, "attempts per run before giving up")
    candidates: int = _setting(1, "candidate patches sampled per attempt, validated in parallel shadows")
    strategy: str = _setting(
        "builtin-first",
        "with a model configured: try the built-in repairer first, or not",
        choices=("builtin-first", "model-only"),
    )
    builtin_seconds: float = _setting(20.0, "time the built-in repairer gets before the model is asked")
    edit_format: str = _setting(
        "auto", "how the model writes edits", choices=("auto", "search-replace", "symbol")
    )
    edit_tests: bool = _setting(False, "let fix mode edit test files")
    temperature: float = _setting(0.2, "sampling temperature of the model")
    model_timeout: float = _setting(120.0, "seconds one model call may take")
    model_retries: int = _setting(3, "retries of a model call on 429 and 5xx, with backoff")
    stream: bool = _setting(
        False, "ask the model to stream its reply (progress while it writes; assembled before it is used)"
    )
    max_seconds: float = _setting(900.0, "wall-clock budget of a run in seconds")
    max_tokens: int = _setting(200_000, "token budget of a run")
    max_cost_usd: float = _setting(2.0, "cost budget of a run in US dollars (0: no limit)")
    max_cost_usd_per_day: float = _setting(
        0.0, "cost budget of all runs of the day in US dollars, as memory recorded them (0: no limit)"
    )
    prompt_cache: bool = _setting(
        True, "mark the prompt's stable start for the provider's prompt cache (Anthropic)"
    )
    context_tokens: int = _setting(6000, "token budget of the code context shown to the model")
    run_on_save: str = _setting(
        "off", "editor: run the relevant tests on open and save", choices=("off", "file", "project")
    )
    sandbox: SandboxSettings = field(default_factory=SandboxSettings)
    memory: MemorySettings = field(default_factory=MemorySettings)
    review: ReviewSettings = field(default_factory=ReviewSettings)
    telemetry: TelemetrySettings = field(default_factory=TelemetrySettings)
    # Where each non-default value came from, for `untilgreen doctor` and error messages.
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class SettingSpec:
    name: str
    type: Any
    default: Any
    help: str
    trusted: bool
    choices: tuple[str, ...]

    @property
    def env_name(self) -> str:
        return ENV_PREFIX + self.name.replace(".", "_").upper()


def _specs(cls: type, prefix: str = "") -> list[SettingSpec]:
    hints = typing.get_type_hints(cls)
    specs: list[SettingSpec] = []
    for f in dataclasses.fields(cls):
        if f.name == "sources":
            continue
        if dataclasses.is_dataclass(hints[f.name]):
            specs.extend(_specs(hints[f.name], prefix + f.name + "."))
            continue
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            raise TypeError(f"setting {prefix}{f.name} has no default")
        specs.append(
            SettingSpec(
                prefix + f.name,
                hints[f.name],
                default,
                f.metadata["help"],
                f.metadata["trusted"],
                f.metadata["choices"],
            )
        )
    return specs


SPECS: dict[str, SettingSpec] = {s.name: s for s in _specs(Settings)}


def user_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("untilgreen")) / "config.toml"


def _camel_to_dotted(key: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in key)


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{"sandbox": {"timeout": 5}}` -> `{"sandbox.timeout": 5}`; camelCase keys (editor settings) become snake_case."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = prefix + _camel_to_dotted(key).replace("-", "_")
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def _convert(spec: SettingSpec, value: Any, origin: str) -> Any:
    """Check and convert one value; strings (from env or flags) are parsed by the setting's type."""

    def bad(expected: str) -> ConfigError:
        return ConfigError(f"setting `{spec.name}` in {origin} must be {expected}, got {value!r}.")

    kind = spec.type
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in (
            "1",
            "true",
            "yes",
            "on",
            "0",
            "false",
            "no",
            "off",
        ):
            return value.strip().lower() in ("1", "true", "yes", "on")
        raise bad("true or false")
    if kind in (int, float):
        if isinstance(value, bool) or (kind is int and isinstance(value, float) and not value.is_integer()):
            raise bad("a whole number" if kind is int else "a number")
        try:
            number = kind(value)
        except (TypeError, ValueError):
            raise bad("a whole number" if kind is int else "a number") from None
        if number < 0:
            raise bad("zero or more")
        return number
    if kind == list[str]:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
        raise bad("a list of strings")
    if not isinstance(value, str):
        raise bad("a string")
    if spec.choices and value not in spec.choices:
        raise bad("one of " + ", ".join(spec.choices))
    return value


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
            return data
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}); fix or remove it.") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path} ({exc.strerror}); check its permissions.") from None


class _Layers:
    """Collects values layer by layer, validating each against the spec."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.sources: dict[str, str] = {}
        self.ignored: list[str] = []

    def apply(self, flat: Mapping[str, Any], origin: str, *, trusted: bool) -> None:
        for name, value in flat.items():
            spec = SPECS.get(name)
            if spec is None:
                close = [k for k in SPECS if k.split(".")[-1] == name.split(".")[-1]]
                hint = f" (did you mean `{close[0]}`?)" if close else f"; known settings: {', '.join(SPECS)}"
                raise ConfigError(f"unknown setting `{name}` in {origin}{hint}.")
            if spec.trusted and not trusted:
                self.ignored.append(
                    f"ignored `{name}` from {origin}: a project cannot set it (it can send data or code elsewhere, or turn off a "
                    "safeguard); "
                    f"set it in {user_config_path()}, the environment ({spec.env_name}) or your editor settings."
                )
                continue
            self.values[name] = _convert(spec, value, origin)
            self.sources[name] = origin


def load_settings(
    project_root: Path | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    overrides_origin: str = "the command line",
    environ: Mapping[str, str] | None = None,
    user_config: Path | None = None,
) -> tuple[Settings, list[str]]:
    """Build the settings for a project; returns them and warnings (ignored untrusted values)."""
    environ = os.environ if environ is None else environ
    layers = _Layers()
    config_path = user_config or Path(environ.get(ENV_PREFIX + "CONFIG", "") or user_config_path())
    if config_path.is_file():
        layers.apply(flatten(_read_toml(config_path)), str(config_path), trusted=True)
    if project_root is not None:
        pyproject = project_root / "pyproject.toml"
        if pyproject.is_file():
            table = _read_toml(pyproject).get("tool", {}).get("untilgreen", {})
            layers.apply(flatten(table), f"{pyproject} [tool.untilgreen]", trusted=False)
    env_values = {spec.name: environ[spec.env_name] for spec in SPECS.values() if spec.env_name in environ}
    for name, value in env_values.items():
        layers.apply({name: value}, f"the environment ({SPECS[name].env_name})", trusted=True)
    if overrides:
        layers.apply(flatten(overrides), overrides_origin, trusted=True)
    return build(layers.values, layers.sources), layers.ignored


def build(values: Mapping[str, Any], sources: Mapping[str, str] | None = None) -> Settings:
    """A Settings from dotted values (already validated)."""
    sections: dict[str, dict[str, Any]] = {}
    top: dict[str, Any] = {}
    for name, value in values.items():
        head, _, rest = name.partition(".")
        if rest:
            sections.setdefault(head, {})[rest] = value
        else:
            top[name] = value
    hints = typing.get_type_hints(Settings)
    for section, items in sections.items():
        top[section] = hints[section](**items)
    return Settings(**top, sources=dict(sources or {}))


def as_dict(settings: Settings) -> dict[str, Any]:
    """Dotted name -> value, for display."""
    result: dict[str, Any] = {}
    for name in SPECS:
        obj: Any = settings
        for part in name.split("."):
            obj = getattr(obj, part)
        result[name] = obj
    return result
