from flags.bucketing import bucket, in_rollout
from flags.registry import Registry

CONFIG = {
    "new-checkout": {"percent": 100, "block": ["u-13"]},
    "dark-mode": {"percent": 0, "allow": ["u-7"]},
    "beta-search": {"percent": 100, "killed": True, "allow": ["u-7"]},
}


def registry():
    return Registry.from_config(CONFIG)


def test_bucket_is_stable_and_bounded():
    assert bucket("x", "u-1") == bucket("x", "u-1")
    assert all(0 <= bucket("x", f"u-{i}") < 100 for i in range(200))


def test_rollout_extremes():
    assert not in_rollout("f", "u-1", 0)
    assert in_rollout("f", "u-1", 100)


def test_full_rollout():
    assert registry().is_enabled("new-checkout", "u-1")


def test_allow_list_beats_zero_percent():
    assert registry().is_enabled("dark-mode", "u-7")


def test_zero_percent_is_off():
    assert not registry().is_enabled("dark-mode", "u-8")


def test_kill_switch_beats_allow_list():
    assert not registry().is_enabled("beta-search", "u-7")


def test_blocked_user():
    assert not registry().is_enabled("new-checkout", "u-13")


def test_enabled_flags():
    assert registry().enabled_flags("u-7") == ["dark-mode", "new-checkout"]


def test_unknown_flag():
    assert not registry().is_enabled("nope", "u-1")


def test_overrides():
    from flags.overrides import effective_flags, parse_overrides

    assert parse_overrides(" a, -b ,,+c,-a") == {"a": False, "b": False, "c": True}
    assert effective_flags(registry(), "u-7", "-dark-mode,beta-search") == ["beta-search", "new-checkout"]
