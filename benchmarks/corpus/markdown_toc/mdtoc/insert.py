"""Keep a TOC up to date between <!-- toc --> and <!-- tocstop --> markers."""

from .toc import render_toc

START = "<!-- toc -->"
STOP = "<!-- tocstop -->"


class MarkersMissing(ValueError):
    pass


def update_toc(markdown, **options):
    """Return the document with the text between the markers replaced by a fresh TOC."""
    try:
        head, rest = markdown.split(START, 1)
        _, tail = rest.split(STOP, 1)
    except ValueError:
        raise MarkersMissing("add <!-- toc --> and <!-- tocstop --> where the TOC should go") from None
    body = head + tail
    toc = render_toc(body, **options)
    return f"{head}{START}\n{toc}\n{STOP}{tail}"
