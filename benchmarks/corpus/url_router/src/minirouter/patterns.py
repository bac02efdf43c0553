"""Compile route patterns like /users/<int:id>/files/<path:rest>."""

import re

CONVERTERS = {
    "str": (r"[^/]+", str),
    "int": (r"\d+", int),
    "path": (r".+", str),
}
_PARAM = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


def compile_pattern(pattern):
    """Return (regex, {name: converter})."""
    regex, converters, pos = "^", {}, 0
    for match in _PARAM.finditer(pattern):
        regex += re.escape(pattern[pos:match.start()])
        kind = match.group("kind") or "str"
        if kind not in CONVERTERS:
            raise ValueError(f"unknown converter {kind!r} in {pattern!r}")
        part, convert = CONVERTERS[kind]
        regex += f"(?P<{match.group('name')}>{part})"
        converters[match.group("name")] = convert
        pos = match.end()
    regex += re.escape(pattern[pos:]) + "$"
    return re.compile(regex), converters
