import pytest

from appconf.checks import problems
from appconf.load import load, redacted


def test_defaults():
    assert load({}) == {"host": "127.0.0.1", "port": 8000, "workers": 2, "debug": False, "secret_key": ""}


def test_boolean_parsing():
    assert load({"APP_DEBUG": "yes"})["debug"] is True
    with pytest.raises(ValueError):
        load({"APP_DEBUG": "maybe"})


def test_redacted():
    assert redacted(load({"APP_SECRET_KEY": "s3cr3t"}))["secret_key"] == "***"


def test_defaults_are_sane():
    assert problems(load({})) == []


def test_privileged_port_reported():
    assert problems(load({"APP_PORT": "80", "APP_WORKERS": "4"})) == ["port 80 needs root"]


def test_dotenv_then_load():
    from appconf.dotenv import parse_dotenv

    env = parse_dotenv("# local\nexport APP_HOST='0.0.0.0'\nAPP_DEBUG = off\n")
    assert env == {"APP_HOST": "0.0.0.0", "APP_DEBUG": "off"}
    with pytest.raises(ValueError):
        parse_dotenv("oops")
