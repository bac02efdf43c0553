"""Normalising request paths before matching."""

from urllib.parse import unquote


def normalize(raw_path):
    """Drop the query string, decode %-escapes, collapse repeated slashes, drop a trailing slash."""
    path = raw_path.split("?", 1)[0]
    while "//" in path:
        path = path.replace("//", "/")
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    return path or "/"
