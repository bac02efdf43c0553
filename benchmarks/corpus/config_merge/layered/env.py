"""Read overrides from environment variables such as APP__DB__PORT=5433."""


def _coerce(text):
    lowered = text.lower()
    if lowered in ("true", "yes", "on"):
        return True
    if lowered in ("false", "no", "off"):
        return False
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def from_environ(environ, prefix="APP"):
    """Turn `PREFIX__A__B=value` entries into {"a": {"b": value}}."""
    result = {}
    marker = prefix + "__"
    for name, raw in sorted(environ.items()):
        if not name.startswith(marker):
            continue
        path = [part.lower() for part in name[len(marker):].split("__") if part]
        if not path:
            continue
        node = result
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = _coerce(raw)
    return result
