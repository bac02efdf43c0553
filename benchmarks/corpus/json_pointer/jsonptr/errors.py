class PointerError(LookupError):
    """A pointer is malformed or does not lead anywhere in the document."""


class PatchTestFailed(AssertionError):
    """A 'test' operation found a different value."""
