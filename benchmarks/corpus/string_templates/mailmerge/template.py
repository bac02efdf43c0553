"""Parse and render templates."""

import re

from .filters import default_filters

_TAG = re.compile(r"\{\{\s*(.*?)\s*\}\}")


class TemplateError(ValueError):
    pass


class Template:
    def __init__(self, source, filters=None):
        self.source = source
        self.filters = default_filters()
        self.filters.update(filters or {})
        self._parts = self._compile(source)

    def _compile(self, source):
        parts, pos = [], 0
        for match in _TAG.finditer(source):
            parts.append(("text", source[pos:match.start()]))
            name, *pipes = [p.strip() for p in match.group(1).split("|")]
            if not name:
                raise TemplateError(f"empty placeholder at offset {match.start()}")
            for f in pipes:
                if f not in self.filters:
                    raise TemplateError(f"unknown filter {f!r}")
            parts.append(("var", name, pipes))
            pos = match.end()
        parts.append(("text", source[pos:]))
        return parts

    def placeholders(self):
        return sorted({p[1] for p in self._parts if p[0] == "var"})

    def render(self, context):
        out = []
        for part in self._parts:
            if part[0] == "text":
                out.append(part[1])
                continue
            _, name, pipes = part
            value = context
            for key in name.split("."):
                try:
                    value = value[key]
                except (KeyError, TypeError):
                    raise TemplateError(f"missing value for {name!r}") from None
            for f in pipes:
                value = self.filters[f](value)
            out.append(str(value))
        return "".join(out)
