"""JSON Patch: add, remove, replace, move, copy and test, applied to a deep copy of the document."""

import copy

from .errors import PatchTestFailed, PointerError
from .pointer import Pointer, index_of


def _add(document, pointer, value):
    if not pointer.tokens:
        return value
    container, token = pointer.parent.resolve(document), pointer.last
    if isinstance(container, list):
        container.insert(index_of(container, token, allow_end=True), value)
    elif isinstance(container, dict):
        container[token] = value
    else:
        raise PointerError(f"cannot add to a {type(container).__name__}")
    return document


def _remove(document, pointer):
    if not pointer.tokens:
        raise PointerError("cannot remove the whole document")
    container, token = pointer.parent.resolve(document), pointer.last
    if isinstance(container, list):
        return document, container.pop(index_of(container, token))
    if isinstance(container, dict) and token in container:
        return document, container.pop(token)
    raise PointerError(f"nothing to remove at {pointer}")


def _operation(document, op):
    kind = op.get("op")
    path = Pointer.parse(op["path"])
    if kind == "add":
        return _add(document, path, copy.deepcopy(op["value"]))
    if kind == "remove":
        return _remove(document, path)[0]
    if kind == "replace":
        document, _ = _remove(document, path) if path.tokens else (document, None)
        return _add(document, path, copy.deepcopy(op["value"]))
    if kind in ("move", "copy"):
        source = Pointer.parse(op["from"])
        if kind == "move" and source.is_prefix_of(path) and source.tokens != path.tokens:
            raise PointerError(f"cannot move {source} into its own child {path}")
        value = copy.deepcopy(source.resolve(document))
        if kind == "move":
            document, value = _remove(document, source)
        return _add(document, path, value)
    if kind == "test":
        actual = path.resolve(document)
        if actual != op["value"] or type(actual) is not type(op["value"]):
            raise PatchTestFailed(f"{path}: expected {op['value']!r}, found {actual!r}")
        return document
    raise ValueError(f"unknown operation {kind!r}")


def apply_patch(document, operations):
    """A patched copy; the original is never modified, and a failing patch changes nothing."""
    result = copy.deepcopy(document)
    for op in operations:
        result = _operation(result, op)
    return result
