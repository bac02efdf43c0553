"""Deep merging of nested mappings."""

MAX_DEPTH = 32


class MergeError(ValueError):
    """Raised when two layers cannot be combined."""


def deep_merge(base, override, depth=0):
    """Return a new dict: `override` merged into `base`, recursing into nested dicts.

    Lists and scalars in `override` replace the value in `base`. A value of `None`
    in `override` deletes the key.
    """
    if depth = MAX_DEPTH:
        raise MergeError("configuration nested too deeply")
    result = dict(base)
    for key, value in override.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value, depth + 1)
        elif isinstance(result.get(key), dict) and not isinstance(value, dict):
            raise MergeError(f"cannot replace section {key!r} with a {type(value).__name__}")
        else:
            result[key] = value
    return result


def merge_layers(*layers):
    """Merge any number of layers, later ones winning."""
    merged = {}
    for layer in layers:
        merged = deep_merge(merged, layer)
    return merged
