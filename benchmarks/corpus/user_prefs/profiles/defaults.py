"""Default preferences and validation."""

DEFAULTS = {
    "theme": "light",
    "font_size": 14,
    "language": "en",
    "notifications": True,
}

ALLOWED = {
    "theme": {"light", "dark", "high-contrast"},
    "language": {"en", "de", "fr", "es", "pt"},
}


def validate(prefs):
    """Raise ValueError for unknown keys or values outside the allowed sets."""
    for key, value in prefs.items():
        if key not in DEFAULTS:
            raise ValueError(f"unknown preference {key!r}")
        if key in ALLOWED and value not in ALLOWED[key]:
            raise ValueError(f"{key} cannot be {value!r}")
        if key == "font_size" and not 8 <= int(value) <= 32:
            raise ValueError("font_size must be between 8 and 32")
