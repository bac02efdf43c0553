"""The context engine: chunk the project with tree-sitter, index it, localize a failure and pack the most
likely code into a token budget."""

from __future__ import annotations

from untilgreen.context.index import Index
from untilgreen.context.model import Chunk, Context, Hint
from untilgreen.context.sbfl import ochiai_lines
from untilgreen.context.tokens import approx_tokens, tiktoken_counter

__all__ = ["Chunk", "Context", "Hint", "Index", "approx_tokens", "ochiai_lines", "tiktoken_counter"]
