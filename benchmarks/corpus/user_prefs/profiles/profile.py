"""A profile stores only the preferences the user changed; the rest come from the defaults."""

from .defaults import DEFAULTS, validate


class Profile:
    def __init__(self, username, overrides=None):
        self.username = username
        self.overrides = dict(overrides or {})

    def effective(self):
        return {**DEFAULTS, **self.overrides}

    def get(self, key):
        return self.effective()[key]

    def set(self, key, value):
        validate({key: value})
        self.overrides[key] = value

    def save_preferences(self, prefs):
        """Replace the stored overrides with `prefs` (the settings form sends the full set)."""
        validate(prefs)
        self.overrides.update(prefs)

    def reset(self, key=None):
        if key is None:
            self.overrides.clear()
        else:
            self.overrides.pop(key, None)
