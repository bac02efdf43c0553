import pytest

from pager import Paginator
from pager.links import page_window, render_links

ITEMS = [f"row{i}" for i in range(1, 24)]  # 23 rows


def test_num_pages():
    assert Paginator(ITEMS, per_page=5).num_pages == 5
    assert Paginator([], per_page=5).num_pages == 1


@pytest.mark.parametrize("bad", [0, 6, "x"])
def test_out_of_range(bad):
    with pytest.raises(ValueError):
        Paginator(ITEMS, per_page=5).page(bad)


def test_first_page_is_full():
    page = Paginator(ITEMS, per_page=5).page(1)
    assert page.items == ["row1", "row2", "row3", "row4", "row5"]
    assert page.has_next and not page.has_previous


def test_iteration_covers_everything():
    pages = list(Paginator(ITEMS, per_page=5))
    assert [item for p in pages for item in p.items] == ITEMS


def test_window():
    assert page_window(6, 20) == [1, "…", 4, 5, 6, 7, 8, "…", 20]
    assert page_window(1, 3) == [1, 2, 3]


def test_render_links():
    page = Paginator(ITEMS, per_page=5).page(3)
    assert render_links(page) == "1 2 [3] 4 5"
