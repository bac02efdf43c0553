"""Text report."""

from .stats import summarize


def error_rate(summary):
    requests = summary["requests"]
    errors = summary["statuses"].get("4xx", 0) + summary["statuses"].get("5xx", 0)
    return round(errors / requests, 3) if requests else 0.0


def report(lines):
    s = summarize(lines)
    out = [f"requests: {s['requests']}", f"bytes: {s['bytes']}", f"error rate: {error_rate(s):.1%}"]
    out += [f"  {path} {count}" for path, count in s["top_paths"]]
    return "\n".join(out)
