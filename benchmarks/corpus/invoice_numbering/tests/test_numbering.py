from datetime import date

import pytest

from invoicing import InvoiceNumberer, SequenceStore, parse_number
from invoicing.fiscal import fiscal_bounds, fiscal_year


def test_numbers_are_sequential_and_padded():
    numberer = InvoiceNumberer()
    assert [numberer.issue("INV", date(2025, 2, d)) for d in (3, 3, 4)] == [
        "INV-2025-00001", "INV-2025-00002", "INV-2025-00003"]


def test_series_are_independent():
    numberer = InvoiceNumberer()
    numberer.issue("INV", date(2025, 1, 9))
    assert numberer.issue("CN", date(2025, 1, 9)) == "CN-2025-00001"


def test_calendar_year_restarts_numbering():
    numberer = InvoiceNumberer()
    numberer.issue("INV", date(2024, 12, 31))
    assert numberer.issue("INV", date(2025, 1, 1)) == "INV-2025-00001"


def test_fiscal_year_from_april():
    assert fiscal_year(date(2024, 3, 31), 4) == 2024
    assert fiscal_year(date(2024, 4, 1), 4) == 2025
    assert fiscal_year(date(2025, 3, 1), 4) == 2025


def test_fiscal_year_starting_in_july():
    numberer = InvoiceNumberer(fiscal_start_month=7, width=4)
    first = numberer.issue("INV", date(2024, 6, 30))
    second = numberer.issue("INV", date(2024, 8, 12))
    assert (first, second) == ("INV-2024-0001", "INV-2025-0001")


def test_fiscal_bounds():
    assert fiscal_bounds(2025, 4) == (date(2024, 4, 1), date(2025, 3, 31))
    assert fiscal_bounds(2025) == (date(2025, 1, 1), date(2025, 12, 31))


def test_preview_does_not_consume():
    numberer = InvoiceNumberer()
    assert numberer.preview("INV", date(2025, 5, 5)) == "INV-2025-00001"
    assert numberer.issue("INV", date(2025, 5, 5)) == "INV-2025-00001"


def test_voided_numbers_are_not_reused():
    numberer = InvoiceNumberer()
    for _ in range(3):
        numberer.issue("INV", date(2025, 5, 5))
    numberer.void("INV-2025-00002")
    assert numberer.issue("INV", date(2025, 5, 6)) == "INV-2025-00004"
    assert numberer.issued("INV", 2025) == ["INV-2025-00001", "INV-2025-00003", "INV-2025-00004"]


def test_cannot_void_unissued_number():
    numberer = InvoiceNumberer()
    with pytest.raises(ValueError):
        numberer.void("INV-2025-00001")


def test_parse_number():
    assert parse_number("CN-2025-00017") == ("CN", 2025, 17)
    with pytest.raises(ValueError):
        parse_number("INV/2025/17")


def test_shared_store_between_numberers():
    store = SequenceStore()
    a, b = InvoiceNumberer(store=store), InvoiceNumberer(store=store)
    a.issue("INV", date(2025, 8, 1))
    assert b.issue("INV", date(2025, 8, 2)) == "INV-2025-00002"
