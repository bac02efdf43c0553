"""Export notes as one Markdown document."""


def note_to_markdown(note):
    lines = [f"## {note.title}"]
    if note.tags:
        lines.append("Tags: " + ", ".join(f"`{t}`" for t in note.tags))
    if note.body.strip():
        lines += ["", note.body.strip()]
    return "\n".join(lines)


def export(notes, heading="Notes"):
    """All notes, sorted by title, separated by blank lines."""
    parts = [f"# {heading}"]
    parts += [note_to_markdown(n) for n in sorted(notes, key=lambda n: n.title.lower())]
    return "\n\n".join(parts) + "\n"
