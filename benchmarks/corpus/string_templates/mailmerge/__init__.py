"""Mail-merge templates with {{ placeholders }} and filters."""

from .template import Template, TemplateError

__all__ = ["Template", "TemplateError"]
