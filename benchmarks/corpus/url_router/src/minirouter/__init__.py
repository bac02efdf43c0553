"""A small URL router with typed path parameters."""

from .router import NotFound, Router

__all__ = ["NotFound", "Router"]
