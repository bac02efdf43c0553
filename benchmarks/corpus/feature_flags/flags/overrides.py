"""Per-request overrides for QA, e.g. `?flags=dark-mode,-new-checkout`."""


def parse_overrides(query_value):
    """'a,-b' -> {'a': True, 'b': False}; blanks are ignored, the last mention wins."""
    result = {}
    for raw in (query_value or "").split(","):
        name = raw.strip()
        if not name:
            continue
        if name.startswith("-"):
            result[name[1:].strip()] = False
        else:
            result[name.lstrip("+").strip()] = True
    return result


def effective_flags(registry, user_id, query_value=None):
    """The user's enabled flags with the overrides applied."""
    enabled = set(registry.enabled_flags(user_id))
    for name, on in parse_overrides(query_value).items():
        (enabled.add if on else enabled.discard)(name)
    return sorted(enabled)
