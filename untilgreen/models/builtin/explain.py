"""What a search that found nothing did: a sentence for the run's stop message and the same numbers as JSON
(`fix --json`'s `search` key), so a long search never ends in a bare "nothing to propose"."""

from __future__ import annotations

from typing import Any

from untilgreen.models.builtin.search import OUTCOMES, SearchStats

TOP_LINES = 3


def search_json(stats: SearchStats, cold_reason: str = "") -> dict[str, Any]:
    """The numbers: candidates generated and validated, the lines most tried, what the candidates came to."""
    return {
        "generated": stats.generated,
        "validated": stats.tried - stats.outcomes["did not parse"],
        "seconds": round(stats.seconds, 1),
        "out_of_time": stats.out_of_time,
        "lines": len(stats.lines),
        "locations": [
            {"path": path, "line": line, "candidates": count}
            for (path, line), count in stats.lines.most_common(TOP_LINES)
        ],
        "failed_on": {outcome: stats.outcomes[outcome] for outcome in OUTCOMES if stats.outcomes[outcome]},
        "cold_fallback": cold_reason,
        "worker_errors": stats.worker_errors[:3],
    }


def search_sentence(summary: dict[str, Any], next_repairer: str = "") -> str:
    """One sentence from `search_json`: what was tried, where, what it came to, and what to try next (or that
    `next_repairer` is asked next)."""
    if not summary["generated"]:
        return "it found no line to mutate (no project line ran in the failing tests); " + (
            f"asking {next_repairer} next" if next_repairer else "try a model with `--model`"
        )
    where = ", ".join(f"{loc['path']}:{loc['line']} ×{loc['candidates']}" for loc in summary["locations"])
    more = ", …" if summary["lines"] > len(summary["locations"]) else ""
    failed = summary["failed_on"]
    came_to = ", ".join(f"{count} {outcome}" for outcome, count in failed.items() if outcome != "plausible")
    plausible = failed.get("plausible", 0)
    if summary["worker_errors"]:
        came_to += f"; worker error: {summary['worker_errors'][0]}"
    if next_repairer:
        spent = (
            "its time (`builtin_seconds`) ran out" if summary["out_of_time"] else "every candidate was tried"
        )
        next_step = f"{spent}; asking {next_repairer} next"
    elif summary["out_of_time"]:
        next_step = (
            "it ran out of time: give it more with `--set max_seconds=...`, or try a model with `--model`"
        )
    elif plausible:
        next_step = (
            "its plausible patches were tried already and failed the run's checks: try a model with `--model`"
        )
    else:
        next_step = "every candidate was tried, so more time will not help: try a model with `--model`"
    return (
        f"it generated {summary['generated']} candidate(s) and validated {summary['validated']} in "
        f"{summary['seconds']} s on {summary['lines']} line(s) ({where}{more}): {came_to or 'none ran'}, "
        f"{plausible} plausible; {next_step}"
    )
