"""Render a month summary as Markdown."""

from .aggregate import month_summary


def markdown_report(title, csv_text):
    summary = month_summary(csv_text)
    lines = [f"# {title}", "", f"Orders: {summary['orders']}, units: {summary['units']}, "
             f"revenue: {summary['revenue']:.2f}", "", "| Region | Revenue |", "|---|---:|"]
    for region, revenue in summary["regions"].items():
        lines.append(f"| {region} | {revenue:.2f} |")
    lines.append("")
    lines.append("Top products: " + ", ".join(f"{name} ({units})" for name, units in summary["top"]))
    return "\n".join(lines)
