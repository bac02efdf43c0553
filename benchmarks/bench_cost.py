"""Tokens and cost per green on the corpus, with and without prompt caching and fast-model escalation.

Run: python benchmarks/bench_cost.py [--only NAME ...] [--projects 12] [--jobs 2] [--json]

Each project runs through `untilgreen.agent.evaluate` with the real LLM repairer and litellm against the
scripted Anthropic Messages server from tests/support (its prompt cache behaves as Anthropic's: marked prompt
starts are written, then read). The scripted model wastes one attempt on every project: its first reply is an
edit whose SEARCH text is not in the file; its second is the reference fix (from bug.toml). Prices are litellm's
for claude-sonnet-4-5 (`model`) and claude-haiku-4-5 (`fast_model`), cache reads and writes included.

Four configurations: the strong model alone, without and with `prompt_cache`; and `fast_model` first
(`escalate_after = 1`), without and with `prompt_cache`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.scripted_llm import ANTHROPIC, PROVIDER_KEY, ScriptedLLM  # noqa: E402
from untilgreen.agent.evaluate import Project, evaluate, load_corpus  # noqa: E402
from untilgreen.memory.patch import parse_diff  # noqa: E402
from untilgreen.settings import build  # noqa: E402

STRONG = "anthropic/claude-sonnet-4-5"
FAST = "anthropic/claude-haiku-4-5"
CONFIGS: dict[str, dict[str, object]] = {
    "strong, no cache": {"prompt_cache": False},
    "strong, cache": {"prompt_cache": True},
    "fast then strong, no cache": {"prompt_cache": False, "fast_model": FAST, "escalate_after": 1},
    "fast then strong, cache": {"prompt_cache": True, "fast_model": FAST, "escalate_after": 1},
}


def replies(project: Project) -> tuple[str, str]:
    """A wasted reply (its SEARCH text is not in the file) and the reference fix, as SEARCH/REPLACE blocks."""
    right, wrong = ["The reference fix.\n"], ["A first guess.\n"]
    for patch in parse_diff(project.fix):
        for hunk in patch.hunks:
            search = "".join(line + "\n" for line in hunk.old)
            replace = "".join(line + "\n" for line in hunk.new)
            for reply, old in ((right, search), (wrong, "# a line that is not in the file\n" + search)):
                reply.append(f"{patch.path}\n<<<<<<< SEARCH\n{old}=======\n{replace}>>>>>>> REPLACE\n")
    return "\n".join(wrong), "\n".join(right)


def measure(projects: list[Project], extra: dict[str, object], jobs: int) -> dict[str, Any]:
    from untilgreen.models.llm import LLMRepairer

    base: dict[str, object] = {"attempts": 3, "strategy": "model-only", "model_retries": 0, "model": STRONG}
    base.update(extra)

    def model(project: Project) -> list[Any]:
        server = ScriptedLLM(*replies(project), wire=ANTHROPIC, api_key=PROVIDER_KEY)  # lives for the process
        return [LLMRepairer(build({**base, "api_base": server.url}))]

    summary = evaluate(projects, build(base), jobs=jobs, repairers=model).summary()
    return {
        key: summary[key]
        for key in ("runs", "pass@1", "tokens", "cached_tokens", "cost_usd", "cost_per_green_usd")
    } | {"tokens_per_green": summary["tokens_per_green"], "attempts_mean": summary["attempts_mean"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--projects", type=int, default=12, help="the first N corpus projects (default 12)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("ANTHROPIC_API_KEY", PROVIDER_KEY)
    projects = load_corpus(ROOT / "benchmarks" / "corpus", args.only)
    projects = projects if args.only else projects[: args.projects]
    results = {name: measure(projects, extra, args.jobs) for name, extra in CONFIGS.items()}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{len(projects)} corpus projects; the scripted model wastes the first attempt on each")
    print(
        f"{'configuration':28} {'green':>7} {'tokens/green':>13} {'cached':>8} {'$/green':>9} {'$ total':>9}"
    )
    for name, r in results.items():
        print(
            f"{name:28} {r['pass@1']:>7} {r['tokens_per_green'] or '-':>13} {r['cached_tokens']:>8} "
            f"{r['cost_per_green_usd'] or 0:>9.5f} {r['cost_usd'] or 0:>9.4f}"
        )


if __name__ == "__main__":
    main()
