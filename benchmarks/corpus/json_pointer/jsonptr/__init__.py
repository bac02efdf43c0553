"""JSON Pointer (RFC 6901) lookups and JSON Patch (RFC 6902) operations on plain Python data."""

from .errors import PatchTestFailed, PointerError
from .patch import apply_patch
from .pointer import Pointer, resolve

__all__ = ["PatchTestFailed", "Pointer", "PointerError", "apply_patch", "resolve"]
