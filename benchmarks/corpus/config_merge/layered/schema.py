"""Minimal type checking of a merged configuration."""


def validate(config, schema, path=""):
    """Return a list of problems; `schema` maps keys to types or nested schemas."""
    problems = []
    for key, expected in schema.items():
        where = f"{path}.{key}" if path else key
        if key not in config:
            problems.append(f"{where}: missing")
        elif isinstance(expected, dict):
            if not isinstance(config[key], dict):
                problems.append(f"{where}: expected a section")
            else:
                problems.extend(validate(config[key], expected, where))
        elif not isinstance(config[key], expected):
            problems.append(f"{where}: expected {expected.__name__}, got {type(config[key]).__name__}")
    return problems
