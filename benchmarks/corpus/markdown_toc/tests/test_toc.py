from mdtoc import extract_headings, render_toc
from mdtoc.slugs import slugify

DOC = """# Project

## Install

## Usage
### Options
```sh
# not a heading
```
## Usage on Windows

## FAQ
### Options
"""


def test_slugify():
    assert slugify("Hello, World!") == "hello-world"
    assert slugify("  C++ & Rust ") == "c--rust"


def test_ignores_code_blocks():
    titles = [h.title for h in extract_headings(DOC)]
    assert "not a heading" not in titles


def test_levels():
    assert [h.level for h in extract_headings(DOC)] == [1, 2, 2, 3, 2, 2, 3]


def test_empty_toc():
    assert render_toc("just text") == ""


def test_toc_with_duplicate_headings():
    assert render_toc(DOC).splitlines() == [
        "- [Install](#install)",
        "- [Usage](#usage)",
        "  - [Options](#options)",
        "- [Usage on Windows](#usage-on-windows)",
        "- [FAQ](#faq)",
        "  - [Options](#options-1)",
    ]


def test_update_toc_markers():
    import pytest
    from mdtoc.insert import MarkersMissing, update_toc

    doc = "# T\n<!-- toc -->\nold\n<!-- tocstop -->\n## A\n"
    assert update_toc(doc) == "# T\n<!-- toc -->\n- [A](#a)\n<!-- tocstop -->\n## A\n"
    with pytest.raises(MarkersMissing):
        update_toc("## A")
