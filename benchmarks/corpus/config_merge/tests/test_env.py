from layered.env import from_environ


def test_nested_names():
    env = {"APP__DB__PORT": "5433", "APP__DEBUG": "yes", "HOME": "/home/u"}
    assert from_environ(env) == {"db": {"port": 5433}, "debug": True}


def test_other_prefix():
    assert from_environ({"SVC__RATIO": "0.5"}, prefix="SVC") == {"ratio": 0.5}
