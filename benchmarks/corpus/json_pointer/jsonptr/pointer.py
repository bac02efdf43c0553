"""Parsing pointers such as /a~1b/0 and walking them through nested dicts and lists."""

import re

from .errors import PointerError

_INDEX = re.compile(r"^(0|[1-9][0-9]*)$")


def unescape(token):
    return token.replace("~1", "/").replace("~0", "~")


def escape(token):
    return token.replace("~", "~0").replace("/", "~1")


def index_of(array, token, allow_end=False):
    """The list index a token names; with allow_end the position just past the end is allowed too."""
    if not _INDEX.match(token):
        raise PointerError(f"invalid array index {token!r}")
    index = int(token)
    limit = len(array) + (1 if allow_end else 0)
    if index >= limit:
        raise PointerError(f"index {index} is out of range for an array of {len(array)}")
    return index


def step(node, token):
    if isinstance(node, dict):
        if token not in node:
            raise PointerError(f"no member {token!r}")
        return node[token]
    if isinstance(node, list):
        return node[index_of(node, token)]
    raise PointerError(f"cannot descend into {type(node).__name__} with {token!r}")


class Pointer:
    def __init__(self, tokens):
        self.tokens = tuple(tokens)

    @classmethod
    def parse(cls, text):
        if text == "":
            return cls(())
        if not text.startswith("/"):
            raise PointerError(f"pointer {text!r} must be empty or start with '/'")
        return cls(unescape(t) for t in text[1:].split("/"))

    def __str__(self):
        return "".join("/" + escape(t) for t in self.tokens)

    @property
    def parent(self):
        if not self.tokens:
            raise PointerError("the root has no parent")
        return Pointer(self.tokens[:-1])

    @property
    def last(self):
        return self.tokens[-1]

    def is_prefix_of(self, other):
        return other.tokens[:len(self.tokens)] == self.tokens

    def resolve(self, document):
        node = document
        for token in self.tokens:
            node = step(node, token)
        return node


def resolve(document, pointer, default=PointerError):
    try:
        return Pointer.parse(pointer).resolve(document)
    except PointerError:
        if default is PointerError:
            raise
        return default
