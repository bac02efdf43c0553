"""Read settings from a mapping such as os.environ."""

from .fields import Setting, parse_bool

SETTINGS = [
    Setting("host", "127.0.0.1"),
    Setting("port", 8000, int),
    Setting("workers", 2, int),
    Setting("debug", False, parse_bool),
    Setting("secret_key", "", secret=True),
]


def load(environ):
    values = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env_name)
        if raw is None:
            values[setting.name] = setting.default
        else:
            values[setting.name] = raw
    return values


def redacted(values):
    secret = {s.name for s in SETTINGS if s.secret}
    return {k: ("***" if k in secret and v else v) for k, v in values.items()}
