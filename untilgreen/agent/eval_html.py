"""The eval report: one self-contained HTML page (inline CSS and SVG, no script, nothing fetched) for one or more
eval results side by side: a summary per configuration, pass@1 and pass@k per bug class, time-to-green and cost
distributions, attempts per green, and a per-project table whose runs link to their patches, which the page holds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape
from typing import Any

from untilgreen.agent import eval_plots as plots
from untilgreen.agent.evaluate import Report, Sample

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; color: #1a202c; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #e2e8f0; }
table { border-collapse: collapse; margin: .6rem 0; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #e2e8f0; text-align: right; vertical-align: top; }
th:first-child, td:first-child, td.name, #project-table th:nth-child(2) { text-align: left; }
.swatch { display: inline-block; width: .8em; height: .8em; margin-right: .3em; border-radius: 2px; }
.legend span.item { margin-right: 1.4rem; } .muted { color: #718096; fill: #718096; }
.green { color: #276749; } .red { color: #c53030; }
svg.plot { display: block; max-width: 100%; height: auto; font-size: 12px; margin: .6rem 0; }
pre { background: #f7fafc; border: 1px solid #e2e8f0; padding: .6rem; overflow-x: auto; }
details { margin: .3rem 0; } summary { cursor: pointer; }
"""


def render(configs: Sequence[tuple[str, Report]]) -> str:
    """The page for `configs`, each a (label, report) pair, in that order (and colour)."""
    projects = sorted({s.project for _, report in configs for s in report.samples})
    sections = (
        _summary(configs),
        _classes(configs),
        _distributions(configs),
        _attempts(configs),
        _projects(configs, projects),
        _patches(configs, projects),
    )
    title = "untilgreen eval: " + " vs ".join(label for label, _ in configs)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>'
        f"<body><h1>{escape(title)}</h1>{_legend(configs)}{''.join(sections)}</body></html>\n"
    )


def _legend(configs: Sequence[tuple[str, Report]]) -> str:
    items = "".join(
        f'<span class="item"><span class="swatch" style="background:{plots.color(i)}"></span>'
        f'<b>{escape(label)}</b> <span class="muted">({escape(report.model)}, {report.runs} run(s) per '
        "project)</span></span>"
        for i, (label, report) in enumerate(configs)
    )
    return f'<p class="legend">{items}</p>'


def _summary(configs: Sequence[tuple[str, Report]]) -> str:
    head = (
        "configuration", "model", "projects", "runs", "greens", "pass@1", "pass@k", "median s to green",
        "p90 s to green", "attempts (mean)", "tokens", "cost $", "$ per green",
    )  # fmt: skip
    rows = []
    for label, report in configs:
        s = report.summary()
        cells = (
            label, report.model, s["projects"], s["runs"], s["greens"], s["pass@1"], s[f"pass@{report.runs}"],
            s["time_to_green_s"]["median"], s["time_to_green_s"]["p90"], s["attempts_mean"], s["tokens"],
            s["cost_usd"], s["cost_per_green_usd"],
        )  # fmt: skip
        rows.append(_row(cells))
    note = (
        "<p>pass@k is each configuration's pass@k with k its runs per project; time to green counts green runs "
        "only; – is none, or a cost not known (a model without a price).</p>"
    )
    return f'<section id="summary"><h2>Summary</h2>{note}{_table(head, rows)}</section>'


def _classes(configs: Sequence[tuple[str, Report]]) -> str:
    tables = [report.by_class() for _, report in configs]
    classes = sorted({name for table in tables for name in table})
    # figures[c][n]: projects, pass@1 and pass@k of class n in configuration c
    figures = [
        [_figures(report, table.get(n)) for n in classes] for (_, report), table in zip(configs, tables)
    ]
    note = (
        "<p>The corpus names no bug classes (no <code>class</code> in its <code>bug.toml</code> files), so all "
        "projects are one group.</p>"
        if classes == ["unknown"]
        else "<p>Bug classes as the corpus names them (<code>class</code> in each <code>bug.toml</code>).</p>"
    )
    charts = "".join(
        f"<h3>{metric}</h3>"
        + plots.bars(f"{metric} per bug class", classes, [[f[m] for f in config] for config in figures])
        for m, metric in ((1, "pass@1"), (2, "pass@k"))
    )
    head = ("bug class", *(f"{label} {m}" for label, _ in configs for m in ("projects", "pass@1", "pass@k")))
    rows = [_row((name, *(v for config in figures for v in config[n]))) for n, name in enumerate(classes)]
    return (
        f'<section id="classes"><h2>pass@1 and pass@k per bug class</h2>{note}{charts}'
        f"{_table(head, rows)}</section>"
    )


def _distributions(configs: Sequence[tuple[str, Report]]) -> str:
    names = [label for label, _ in configs]
    times = [[s.duration_s for s in report.samples if s.green] for _, report in configs]
    costs = [[s.cost_usd for s in report.samples if s.cost_usd is not None] for _, report in configs]
    unknown = sum(s.cost_usd is None for _, report in configs for s in report.samples)
    cost_note = f" {unknown} run(s) of unknown cost are left out." if unknown else ""
    return (
        '<section id="time"><h2>Time to green</h2><p>Seconds from start to a green suite, one dot per green run; '
        "the box spans the quartiles, the bar inside is the median, the line runs from minimum to maximum.</p>"
        f"{plots.distribution('seconds to green', names, times)}</section>"
        f'<section id="cost"><h2>Cost per run</h2><p>US dollars per run, green or not.{cost_note}</p>'
        f"{plots.distribution('cost per run in $', names, costs)}</section>"
    )


def _attempts(configs: Sequence[tuple[str, Report]]) -> str:
    counts = [Counter(s.attempts for s in report.samples if s.green) for _, report in configs]
    return (
        '<section id="attempts"><h2>Attempts per green</h2><p>How many green runs needed how many attempts.</p>'
        f"{plots.histogram('attempts per green run', counts)}</section>"
    )


def _projects(configs: Sequence[tuple[str, Report]], projects: Sequence[str]) -> str:
    head = ("project", "bug class", *(label for label, _ in configs))
    rows = []
    for p, project in enumerate(projects):
        samples = [[s for s in report.samples if s.project == project] for _, report in configs]
        bug_class = next(s.bug_class for group in samples for s in group)
        cells = "".join(f"<td>{_runs(c, p, group)}</td>" for c, group in enumerate(samples))
        rows.append(
            f'<tr><td class="name">{escape(project)}</td><td class="name">{escape(bug_class)}</td>{cells}</tr>'
        )
    return (
        '<section id="projects"><h2>Projects</h2><p>Green runs out of all runs; each green run links to its patch.'
        f"</p>{_table(head, rows, 'project-table')}</section>"
    )


def _runs(config: int, project: int, samples: Sequence[Sample]) -> str:
    if not samples:
        return '<span class="muted">not run</span>'
    links = " ".join(
        f'<a class="green" href="#{_anchor(config, project, s)}">#{s.run}&nbsp;✓</a>'
        if s.diff
        else f'<span class="{"green" if s.green else "red"}" title="{escape(s.stop_reason)}">'
        f"#{s.run}&nbsp;{'✓' if s.green else '✗'}</span>"
        for s in samples
    )
    return f"{sum(s.green for s in samples)}/{len(samples)} {links}"


def _patches(configs: Sequence[tuple[str, Report]], projects: Sequence[str]) -> str:
    index = {name: p for p, name in enumerate(projects)}
    items = [
        f"<details><summary>{escape(s.project)} #{s.run}, {escape(label)}: {s.attempts} attempt(s), "
        f"{s.duration_s:g} s, patch by {escape(s.repairer)}</summary>"
        f'<pre id="{_anchor(c, index[s.project], s)}">{escape(s.diff)}</pre></details>'
        for c, (label, report) in enumerate(configs)
        for s in report.samples
        if s.diff
    ]
    body = "".join(items) or '<p class="muted">No run produced a patch.</p>'
    return f'<section id="patches"><h2>Patches</h2>{body}</section>'


def _anchor(config: int, project: int, sample: Sample) -> str:
    """An id made of numbers only: project names need no quoting in a link."""
    return f"patch-{config}-{project}-{sample.run}"


def _figures(report: Report, summary: dict[str, Any] | None) -> tuple[Any, Any, Any]:
    """Projects, pass@1 and pass@k of a summary; None for each when there is none."""
    if summary is None:
        return None, None, None
    return summary["projects"], summary["pass@1"], summary[f"pass@{report.runs}"]


def _table(head: Sequence[str], rows: Sequence[str], css_id: str = "") -> str:
    attrs = f' id="{css_id}"' if css_id else ""
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    return f"<table{attrs}><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _row(cells: Sequence[Any]) -> str:
    return "<tr>" + "".join(f"<td>{escape(_format(c))}</td>" for c in cells) + "</tr>"


def _format(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.4g}" if isinstance(value, float) else str(value)
