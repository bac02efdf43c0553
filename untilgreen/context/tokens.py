"""Token counting for packing: a fast approximation, or tiktoken when its encoding is on disk."""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Callable
from pathlib import Path

TokenCounter = Callable[[str], int]

_PIECES = re.compile(r"[A-Za-z_]+|\d{1,3}|[^\sA-Za-z\d_]+|\s+")


def approx_tokens(text: str) -> int:
    """Roughly what a BPE tokenizer such as cl100k counts for source code (within ~10% on typical files,
    see benchmarks/bench_localization.py): a word costs one token per 8 letters, a run of punctuation one
    per 2 marks, a number one per 3 digits, a line break with its indentation one; scaled to cl100k."""
    count = 0
    for piece in _PIECES.findall(text):
        first = piece[0]
        if first.isspace():
            count += "\n" in piece
        elif first.isalpha() or first == "_":
            count += 1 + (len(piece) - 1) // 8
        elif first.isdigit():
            count += 1
        else:
            count += (len(piece) + 1) // 2
    return round(count * 0.875)


def tiktoken_counter(encoding: str = "cl100k_base") -> TokenCounter | None:
    """A tiktoken counter if the encoding can be loaded without the network, else None.

    litellm ships tiktoken's encoding files; they are found without importing litellm.
    """
    try:
        import tiktoken
    except ImportError:
        return None
    spec = importlib.util.find_spec("litellm")
    if spec is not None and spec.origin and "TIKTOKEN_CACHE_DIR" not in os.environ:
        bundled = Path(spec.origin).parent / "litellm_core_utils" / "tokenizers"
        if bundled.is_dir():
            os.environ["TIKTOKEN_CACHE_DIR"] = str(bundled)  # read by tiktoken when it loads an encoding
    try:
        enc = tiktoken.get_encoding(encoding)
    except Exception:  # no cached file and no network: tiktoken raises whatever its download raised
        return None
    return lambda text: len(enc.encode(text, disallowed_special=()))
