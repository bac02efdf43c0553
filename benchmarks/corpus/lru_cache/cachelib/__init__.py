"""In-memory caches: LRU and an LRU with per-entry expiry."""

from .lru import LRUCache
from .ttl import TTLCache

__all__ = ["LRUCache", "TTLCache"]
