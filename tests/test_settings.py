from pathlib import Path

import pytest

from untilgreen.errors import ConfigError
from untilgreen.settings import SPECS, as_dict, load_settings


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


@pytest.fixture
def user_config(tmp_path):
    return tmp_path / "user-config.toml"


def load(root, user_config, environ=None, overrides=None):
    return load_settings(root, environ=environ or {}, user_config=user_config, overrides=overrides)


def test_defaults_without_any_file(tmp_path, user_config):
    settings, warnings = load(tmp_path, user_config)
    assert settings.model == "" and settings.sandbox.isolation == "auto" and settings.sandbox.network is False
    assert warnings == [] and settings.sources == {}


def test_layers_override_in_order(tmp_path, user_config):
    write(user_config, "[sandbox]\ntimeout = 100\ntest_timeout = 7\nmemory_mb = 100\n")
    write(tmp_path / "pyproject.toml", "[tool.untilgreen.sandbox]\ntimeout = 200\ntest_timeout = 8\n")
    env = {"UNTILGREEN_SANDBOX_TIMEOUT": "300"}
    settings, _ = load(tmp_path, user_config, env, overrides={"sandbox.timeout": "400"})
    assert settings.sandbox.timeout == 400.0  # CLI beats env
    assert settings.sandbox.test_timeout == 8.0  # project beats user
    assert settings.sandbox.memory_mb == 100  # user beats default
    assert settings.sources["sandbox.timeout"] == "the command line"
    settings, _ = load(tmp_path, user_config, env)
    assert settings.sandbox.timeout == 300.0
    assert settings.sources["sandbox.timeout"] == "the environment (UNTILGREEN_SANDBOX_TIMEOUT)"


def test_project_cannot_set_trusted_settings(tmp_path, user_config):
    write(
        tmp_path / "pyproject.toml",
        '[tool.untilgreen]\nmodel = "openai/gpt-x"\napi_base = "http://evil.example"\n'
        'api_key_env = "OPENAI_API_KEY"\n[tool.untilgreen.sandbox]\nnetwork = true\n'
        'env_passthrough = ["AWS_SECRET_ACCESS_KEY"]\n',
    )
    settings, warnings = load(tmp_path, user_config)
    assert settings.model == "" and settings.api_base == "" and settings.api_key_env == ""
    assert settings.sandbox.network is False and settings.sandbox.env_passthrough == []
    assert len(warnings) == 5
    assert all("a project cannot set it" in w and "pyproject.toml" in w for w in warnings)


def test_user_config_and_env_can_set_trusted_settings(tmp_path, user_config):
    write(user_config, 'model = "openai/gpt-x"\napi_key_env = "MY_KEY"\n')
    settings, _ = load(tmp_path, user_config, {"UNTILGREEN_API_BASE": "http://127.0.0.1:9/v1"})
    assert (settings.model, settings.api_key_env, settings.api_base) == (
        "openai/gpt-x",
        "MY_KEY",
        "http://127.0.0.1:9/v1",
    )


def test_unknown_key_names_key_and_file(tmp_path, user_config):
    write(tmp_path / "pyproject.toml", "[tool.untilgreen.sandbox]\ntimout = 3\n")
    with pytest.raises(ConfigError) as err:
        load(tmp_path, user_config)
    message = str(err.value)
    assert "`sandbox.timout`" in message and "pyproject.toml" in message and "sandbox.timeout" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[sandbox]\ntimeout = "soon"\n', "must be a number"),
        ('[sandbox]\nnetwork = "maybe"\n', "must be true or false"),
        ('[sandbox]\nisolation = "docker"\n', "must be one of auto, bubblewrap, landlock, limits"),
        ("[sandbox]\nprocesses = -1\n", "must be zero or more"),
        ('[sandbox]\nenv_passthrough = "A"\nmemory_mb = 1.5\n', "must be a whole number"),
    ],
)
def test_bad_values_name_key_and_file(tmp_path, user_config, text, expected):
    write(user_config, text)
    with pytest.raises(ConfigError) as err:
        load(tmp_path, user_config)
    assert expected in str(err.value) and str(user_config) in str(err.value)


def test_broken_toml_is_one_clear_error(tmp_path, user_config):
    write(tmp_path / "pyproject.toml", "[tool.untilgreen\nmodel=")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load(tmp_path, user_config)


def test_env_values_are_parsed_by_type(tmp_path, user_config):
    env = {
        "UNTILGREEN_SANDBOX_NETWORK": "yes",
        "UNTILGREEN_SANDBOX_ENV_PASSTHROUGH": "DATABASE_URL, REDIS_URL",
        "UNTILGREEN_SANDBOX_MEMORY_MB": "0",
    }
    settings, _ = load(tmp_path, user_config, env)
    assert settings.sandbox.network is True
    assert settings.sandbox.env_passthrough == ["DATABASE_URL", "REDIS_URL"]
    assert settings.sandbox.memory_mb == 0


def test_editor_settings_in_camel_case(tmp_path, user_config):
    settings, _ = load(tmp_path, user_config, overrides={"apiKeyEnv": "K", "sandbox": {"testTimeout": 5}})
    assert settings.api_key_env == "K" and settings.sandbox.test_timeout == 5.0


def test_every_setting_has_help_and_an_env_name():
    for spec in SPECS.values():
        assert spec.help and spec.env_name.startswith("UNTILGREEN_")
    assert set(as_dict(load_settings(None, environ={}, user_config=Path("/nonexistent"))[0])) == set(SPECS)
