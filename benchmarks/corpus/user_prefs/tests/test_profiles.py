import pytest

from profiles.profile import Profile
from profiles.store import changed_keys, dump, from_legacy, load


def test_defaults_apply():
    assert Profile("mia").get("theme") == "light"


def test_set_validates():
    p = Profile("mia")
    with pytest.raises(ValueError):
        p.set("theme", "neon")
    p.set("font_size", 18)
    assert p.get("font_size") == 18


def test_round_trip():
    text = dump([Profile("mia", {"theme": "dark"})])
    assert load(text)["mia"].get("theme") == "dark"


def test_legacy_format():
    assert from_legacy("bo", "theme=dark;font_size=16;").overrides == {"theme": "dark", "font_size": 16}


def test_reset_one_key():
    p = Profile("mia", {"theme": "dark", "language": "de"})
    p.reset("theme")
    assert changed_keys(p) == ["language"]


def test_save_replaces_previous_preferences():
    p = Profile("mia", {"theme": "dark", "font_size": 20})
    p.save_preferences({"language": "pt"})
    assert p.effective() == {"theme": "light", "font_size": 14, "language": "pt", "notifications": True}


def test_save_rejects_unknown_key():
    with pytest.raises(ValueError):
        Profile("mia").save_preferences({"colour": "red"})
