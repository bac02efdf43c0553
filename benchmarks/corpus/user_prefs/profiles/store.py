"""Profiles persisted as JSON text."""

import json

from .profile import Profile


def dump(profiles):
    return json.dumps({p.username: p.overrides for p in profiles}, sort_keys=True)


def load(text):
    data = json.loads(text or "{}")
    return {name: Profile(name, overrides) for name, overrides in data.items()}


def from_legacy(username, text):
    """Old clients stored 'theme=dark;font_size=16'; numbers become ints."""
    overrides = {}
    for pair in filter(None, text.split(";")):
        key, _, value = pair.partition("=")
        overrides[key.strip()] = int(value) if value.strip().isdigit() else value.strip()
    return Profile(username, overrides)


def changed_keys(profile):
    """Keys whose effective value differs from the default."""
    from .defaults import DEFAULTS

    return sorted(k for k, v in profile.effective().items() if DEFAULTS[k] != v)
