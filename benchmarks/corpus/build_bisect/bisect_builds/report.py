"""The text posted to the issue tracker."""

from .search import NoFailure, culprit_range


def compare_url(repo_url, good, bad):
    if good is None:
        return f"{repo_url}/commit/{bad}"
    return f"{repo_url}/compare/{good}...{bad}"


def regression_report(repo_url, builds):
    """A short Markdown note naming the first failing build and the commit range to inspect."""
    try:
        good, bad = culprit_range(builds)
    except NoFailure:
        return "All builds passed; nothing to bisect."
    skipped = sum(1 for b in builds if not b.usable)
    lines = [
        "**Regression found by bisecting CI builds**",
        f"- first bad commit: `{bad}`",
        f"- last good commit: `{good}`" if good else "- no earlier good build",
        f"- changes: {compare_url(repo_url, good, bad)}",
    ]
    if skipped:
        lines.append(f"- {skipped} skipped build(s) ignored")
    return "\n".join(lines)
