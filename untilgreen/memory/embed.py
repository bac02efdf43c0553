"""Embedders behind one interface. The default needs no model: signed feature hashing of n-grams.

Ids: ``hash-ngram-<dim>`` (default ``hash-ngram-384``) and ``litellm:<model>`` (any litellm embedding model;
litellm is imported only when such an embedder is first used). The store keeps the id and dimension of the
embedder that wrote its vectors and re-embeds everything when they change.
"""

from __future__ import annotations

import math
import operator
import os
import re
import zlib
from functools import lru_cache
from typing import Protocol

from untilgreen.errors import ConfigError

DEFAULT_EMBEDDER = "hash-ngram-384"

_WORD = re.compile(r"<[A-Z]+>|[A-Za-z_][A-Za-z0-9_]*|\d+|[^\sA-Za-z0-9_]")


class Embedder(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed(self, texts: list[str]) -> list[list[float]]:
        """Unit-length vectors, one per text."""
        ...


class HashNgramEmbedder:
    """Word 1-2-grams and char 3-5-grams of each word, signed hashing into `dim` buckets, log tf, L2-normalised.

    Char n-gram weights are computed per distinct word and cached (tf within the word), which makes embedding
    a signature several times faster than hashing every n-gram anew.

    Identifiers are also split on ``_`` and case changes so ``apply_discount`` and ``applyDiscount`` share words.
    """

    WORD_WEIGHT = 2.0
    CHAR_WEIGHT = 1.0

    def __init__(self, dim: int = 384) -> None:
        if dim < 8 or dim % 8:
            raise ConfigError(f"Embedding dimension {dim} must be a positive multiple of 8; use e.g. 384.")
        self._dim = dim

    @property
    def id(self) -> str:
        return f"hash-ngram-{self._dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def embed(self, texts: list[str]) -> list[list[float]]:
        return [self._embed_one(t) for t in texts]

    def _embed_one(self, text: str) -> list[float]:
        counts: dict[str, float] = {}
        tokens = words(text)
        for key in ["w:" + w for w in tokens] + [f"b:{a} {b}" for a, b in zip(tokens, tokens[1:])]:
            counts[key] = counts.get(key, 0.0) + self.WORD_WEIGHT
        vec = [0.0] * self._dim
        dim = self._dim
        for key, weight in counts.items():
            index, sign = _bucket(key, dim)
            vec[index] += (1.0 + math.log(weight)) * sign
        for w in set(tokens):
            if len(w) > 2 and w[0] != "<":
                for index, value in _char_features(w, dim, self.CHAR_WEIGHT):
                    vec[index] += value
        norm = math.sqrt(sum(map(operator.mul, vec, vec))) or 1.0
        return [x / norm for x in vec]


@lru_cache(maxsize=1 << 18)
def _bucket(key: str, dim: int) -> tuple[int, float]:
    """The feature's bucket and sign (signed hashing keeps collisions from only adding up; cached: words and
    word pairs recur across signatures)."""
    h = zlib.crc32(key.encode())
    return h % dim, 1.0 if (h >> 20) & 1 else -1.0


@lru_cache(maxsize=1 << 16)
def _char_features(word: str, dim: int, weight: float) -> tuple[tuple[int, float], ...]:
    """The signed, log-tf weighted char 3-5-grams of one word (cached: words recur across signatures)."""
    padded = f" {word} "
    counts: dict[str, float] = {}
    for n in (3, 4, 5):
        for i in range(len(padded) - n + 1):
            key = "c:" + padded[i : i + n]
            counts[key] = counts.get(key, 0.0) + weight
    features: dict[int, float] = {}
    for key, w in counts.items():
        index, sign = _bucket(key, dim)
        features[index] = features.get(index, 0.0) + (1.0 + math.log(w)) * sign
    return tuple(features.items())


def words(text: str) -> list[str]:
    """Lower-cased tokens; identifiers also yield their `_`/camelCase parts."""
    found: list[str] = []
    for tok in _WORD.findall(text):
        found.extend(_token_words(tok))
    return found


@lru_cache(maxsize=1 << 16)
def _token_words(tok: str) -> tuple[str, ...]:
    """One token's words: itself, lower-cased, then its parts if it has several (cached: tokens recur)."""
    parts = [p.lower() for p in re.split(r"_+|(?<=[a-z0-9])(?=[A-Z])", tok) if p]
    return (tok.lower(), *parts) if len(parts) > 1 else (tok.lower(),)


class LiteLLMEmbedder:
    """Any litellm embedding model. The dimension is learnt from the first response."""

    def __init__(self, model: str) -> None:
        self._model = model
        self._dim: int | None = None

    @property
    def id(self) -> str:
        return f"litellm:{self._model}"

    @property
    def dim(self) -> int:
        if self._dim is None:
            self.embed(["probe"])
        assert self._dim is not None
        return self._dim

    def embed(self, texts: list[str]) -> list[list[float]]:
        os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        import litellm  # heavy (seconds) and optional: only when this embedder is chosen

        response = litellm.embedding(model=self._model, input=texts)
        vectors = [_unit([float(x) for x in item["embedding"]]) for item in response.data]
        self._dim = len(vectors[0]) if vectors else self._dim
        return vectors


def _unit(vec: list[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vec)) or 1.0
    return [x / norm for x in vec]


def embedder_for(embedder_id: str = DEFAULT_EMBEDDER) -> Embedder:
    """The embedder named by a settings value."""
    if embedder_id.startswith("litellm:") and len(embedder_id) > len("litellm:"):
        return LiteLLMEmbedder(embedder_id.removeprefix("litellm:"))
    match = re.fullmatch(r"hash-ngram-(\d+)", embedder_id)
    if match:
        return HashNgramEmbedder(int(match.group(1)))
    raise ConfigError(
        f"Unknown embedder {embedder_id!r}; use 'hash-ngram-384' or 'litellm:<model>' (e.g. litellm:text-embedding-3-small)."
    )
