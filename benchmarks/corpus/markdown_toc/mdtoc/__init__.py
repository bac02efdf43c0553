"""Generate a table of contents for Markdown documents."""

from .headings import Heading, extract_headings
from .toc import render_toc

__all__ = ["Heading", "extract_headings", "render_toc"]
