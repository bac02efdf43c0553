from salesreport.render import markdown_report

EXPORT = """Date,Region,Product,Units,Revenue
2024-04-02,North,Kettle,3,89.97
2024-04-03,South,Toaster,1,34.50
2024-04-03,North,Toaster,2,69.00

2024-04-05,West,Kettle,1,29.99
"""

EMPTY = "Date,Region,Product,Units,Revenue\n"


def test_title_line():
    assert markdown_report("April", EXPORT).splitlines()[0] == "# April"


def test_empty_export():
    report = markdown_report("May", EMPTY)
    assert "Orders: 0, units: 0, revenue: 0.00" in report


def test_totals_line():
    report = markdown_report("April", EXPORT)
    assert "Orders: 4, units: 7, revenue: 223.46" in report


def test_region_table():
    report = markdown_report("April", EXPORT)
    assert "| South | 34.50 |" in report
    assert "| West | 29.99 |" in report
