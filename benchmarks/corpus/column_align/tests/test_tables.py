from tabulate_lite import render
from tabulate_lite.cells import format_cell
from tabulate_lite.csvout import preview, summary_row, to_csv

HEADER = ["city", "population", "area_km2"]
ROWS = [["Lisbon", 545923, 100.05], ["Porto", 231800, 41.42]]


def test_format_cell():
    assert [format_cell(v) for v in (1234567, 3.14159, None, True, "x")] == ["1,234,567", "3.14", "", "yes", "x"]


def test_clip():
    from tabulate_lite.cells import clip

    assert clip("Lisbon", 10) == "Lisbon"
    assert clip("Vila Nova de Gaia", 8) == "Vila No…"


def test_csv():
    assert to_csv(HEADER, [["Faro", None, 202.57]]) == "city,population,area_km2\nFaro,,202.57\n"


def test_summary_row():
    assert summary_row(HEADER, ROWS) == ["total", 777723, 141.47]


def test_preview():
    assert preview(HEADER, ROWS) == "city=Lisbon, population=545,923, area_km2=100.05"


def test_render_alignment():
    assert render(HEADER, ROWS).splitlines() == [
        "city   | population | area_km2",
        "-------+------------+---------",
        "Lisbon |    545,923 |   100.05",
        "Porto  |    231,800 |    41.42",
    ]


def test_render_header_only():
    assert render(["a", "bb"], []).splitlines() == ["a | bb", "--+---"]
