"""Rendering hunks as a unified diff."""

from .hunks import make_hunks


def _range(start, length):
    """Unified-diff range: 1-based start, and an empty range names the line before it."""
    if length == 0:
        return f"{start},0"
    if length == 1:
        return f"{start + 1}"
    return f"{start + 1},{length}"


def _split(text):
    return text.splitlines() if isinstance(text, str) else list(text)


def unified_diff(old, new, old_name="a", new_name="b", context=3):
    """A unified diff of two texts (or lists of lines) as a string; empty when they are equal."""
    hunks = make_hunks(_split(old), _split(new), context)
    if not hunks:
        return ""
    out = [f"--- {old_name}", f"+++ {new_name}"]
    for hunk in hunks:
        out.append(f"@@ -{_range(hunk.old_start, hunk.old_len)} +{_range(hunk.new_start, hunk.new_len)} @@")
        out += [mark + text for mark, text in hunk.lines]
    return "\n".join(out) + "\n"


def diff_stats(old, new):
    """(lines added, lines removed)."""
    added = removed = 0
    for hunk in make_hunks(_split(old), _split(new), context=0):
        added += sum(mark == "+" for mark, _ in hunk.lines)
        removed += sum(mark == "-" for mark, _ in hunk.lines)
    return added, removed
