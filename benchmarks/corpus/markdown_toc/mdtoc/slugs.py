"""GitHub-style heading anchors."""

import re

_STRIP = re.compile(r"[^\w\- ]", re.UNICODE)


def slugify(text):
    text = _STRIP.sub("", text.strip().lower())
    return re.sub(r"\s", "-", text)


class SlugRegistry:
    """Hands out unique anchors: 'usage', 'usage-1', 'usage-2', ..."""

    def __init__(self):
        self._seen = {}

    def unique(self, text):
        base = slugify(text)
        count = self._seen.get(base, 0)
        return base if count == 0 else f"{base}-{count}"
