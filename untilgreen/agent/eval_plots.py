"""Small SVG plots for the eval report, drawn here so that the page needs no library and no network.

Each function returns one `<svg class="plot">` element. Series are coloured in `PALETTE` order, so one legend in
that order explains every plot of a page.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from html import escape
from statistics import median

PALETTE = ("#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#718096")
WIDTH = 720
LEFT = 170  # room for the names on the left
RIGHT = WIDTH - 50  # room for a value after the longest bar
BAR = 14
AXIS = 28  # below the plot: the axis line, ticks and their labels


def color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def bars(title: str, categories: Sequence[str], series: Sequence[Sequence[float | None]]) -> str:
    """Horizontal bars from 0 to 1: a group per category, a bar per series (None draws none)."""
    band = BAR * len(series) + 10
    parts = []
    for i, category in enumerate(categories):
        top = i * band + 5
        parts.append(_text(LEFT - 8, top + band / 2, category, "end"))
        for j, values in enumerate(series):
            value = values[i]
            if value is None:
                continue
            y, end = top + j * BAR, _x(value, 1.0)
            parts.append(_rect(LEFT, y, end - LEFT, BAR - 2, color(j), f"{category}: {value:.3g}"))
            parts.append(_text(end + 4, y + BAR / 2, f"{value:.3g}"))
    return _svg(title, band * len(categories) + 10, parts, 1.0)


def distribution(title: str, names: Sequence[str], series: Sequence[Sequence[float]]) -> str:
    """Per series a row: every value as a dot over its box (quartiles, median) and whiskers (min to max)."""
    row = 44
    top = _ticks(max((v for values in series for v in values), default=0.0))[-1]
    parts = []
    for i, (name, values) in enumerate(zip(names, series)):
        mid = i * row + row / 2
        parts.append(_text(LEFT - 8, mid, name, "end"))
        if not values:
            parts.append(_text(LEFT, mid, "none", css="muted"))
            continue
        low, q1, q2, q3, high = _five(values)
        parts.append(_line(_x(low, top), mid, _x(high, top), mid, "#4a5568"))
        parts.append(_rect(_x(q1, top), mid - 10, _x(q3, top) - _x(q1, top), 20, "#edf2f7", _tip(values)))
        parts.append(_line(_x(q2, top), mid - 12, _x(q2, top), mid + 12, "#1a202c"))
        for n, value in enumerate(values):
            jitter = (n * 7 % 11 - 5) * 1.4  # spread equal values, the same on every render
            parts.append(
                f'<circle cx="{_x(value, top):.1f}" cy="{mid + jitter:.1f}" r="3" fill="{color(i)}" '
                f'fill-opacity="0.75"><title>{value:g}</title></circle>'
            )
    return _svg(title, row * len(series), parts, top)


def histogram(title: str, series: Sequence[Counter[int]]) -> str:
    """Vertical bars: for each count of attempts from 1 to the largest, a bar per series (how many runs)."""
    height, bottom = 180, 160
    largest = max((max(c) for c in series if c), default=1)
    tallest = max((max(c.values()) for c in series if c), default=1)
    group = (RIGHT - LEFT) / largest
    width = min(28.0, (group - 8) / max(1, len(series)))
    parts = [_line(LEFT, bottom, RIGHT, bottom, "#4a5568")]
    for value in range(1, largest + 1):
        left = LEFT + (value - 1) * group + 4
        parts.append(_text(left + width * len(series) / 2, bottom + 14, str(value), "middle"))
        for j, counts in enumerate(series):
            tall = (bottom - 20) * counts[value] / tallest
            x = left + j * width
            if counts[value]:
                tip = f"{counts[value]} green run(s) after {value} attempt(s)"
                parts.append(_rect(x, bottom - tall, width - 2, tall, color(j), tip))
                parts.append(_text(x + width / 2 - 1, bottom - tall - 6, str(counts[value]), "middle"))
    parts.append(_text(LEFT - 8, bottom + 14, "attempts", "end", "muted"))
    return _svg(title, height, parts, None)


def _svg(title: str, height: float, parts: list[str], scale: float | None) -> str:
    """The element around `parts`, with an x axis from 0 to `scale` below them (None: no axis)."""
    if scale is not None:
        parts = [*parts, _line(LEFT, height, RIGHT, height, "#4a5568")]
        for tick in _ticks(scale):
            x = _x(tick, scale)
            parts += [
                _line(x, height, x, height + 4, "#4a5568"),
                _text(x, height + 16, f"{tick:g}", "middle"),
            ]
        height += AXIS
    return (
        f'<svg class="plot" xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" '
        f'height="{height:.0f}" viewBox="0 0 {WIDTH} {height:.0f}"><title>{escape(title)}</title>'
        + "".join(parts)
        + "</svg>"
    )


def _ticks(maximum: float) -> list[float]:
    """Round steps (1, 2 or 5 times a power of ten) from 0 to at least `maximum`."""
    if maximum <= 0:
        return [0.0, 1.0]
    rough = maximum / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return [round(n * step, 10) for n in range(math.ceil(maximum / step - 1e-9) + 1)]


def _five(values: Sequence[float]) -> tuple[float, float, float, float, float]:
    """Minimum, quartiles (medians of the lower and upper halves) and maximum."""
    ordered = sorted(values)
    half = len(ordered) // 2
    lower, upper = ordered[: max(1, half)], ordered[len(ordered) - max(1, half) :]
    return ordered[0], median(lower), median(ordered), median(upper), ordered[-1]


def _tip(values: Sequence[float]) -> str:
    low, q1, q2, q3, high = _five(values)
    return f"{len(values)} values: min {low:g}, quartiles {q1:g} / {q2:g} / {q3:g}, max {high:g}"


def _x(value: float, scale: float) -> float:
    return LEFT + (RIGHT - LEFT) * value / scale


def _text(x: float, y: float, content: str, anchor: str = "start", css: str = "") -> str:
    attrs = f' class="{css}"' if css else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" dominant-baseline="middle"{attrs}>'
        f"{escape(content)}</text>"
    )


def _rect(x: float, y: float, width: float, height: float, fill: str, tip: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0.0):.1f}" height="{height:.1f}" fill="{fill}">'
        f"<title>{escape(tip)}</title></rect>"
    )


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}"/>'
