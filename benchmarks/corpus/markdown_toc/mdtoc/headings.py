"""Find ATX headings (# Title) outside fenced code blocks."""

import re
from dataclasses import dataclass

from .slugs import SlugRegistry

_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    anchor: str


def extract_headings(markdown):
    slugs = SlugRegistry()
    headings, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        match = _ATX.match(line)
        if match:
            title = match.group(2)
            headings.append(Heading(len(match.group(1)), title, slugs.unique(title)))
    return headings
