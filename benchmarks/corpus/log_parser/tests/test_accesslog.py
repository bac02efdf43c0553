from accesslog.parse import parse_line
from accesslog.report import report
from accesslog.stats import summarize

LINES = [
    '10.0.0.1 - - [12/Mar/2024:09:15:02 +0000] "GET /index.html HTTP/1.1" 200 5120',
    '10.0.0.2 - - [12/Mar/2024:09:20:44 +0000] "GET /img/logo.png?v=3 HTTP/1.1" 200 20480',
    '10.0.0.1 - - [12/Mar/2024:10:01:10 +0000] "POST /login HTTP/1.1" 401 -',
    '10.0.0.3 - - [12/Mar/2024:09:59:59 +0000] "GET /index.html HTTP/1.1" 500 512',
]


def test_parse_line():
    hit = parse_line(LINES[1])
    assert (hit.path, hit.status, hit.size) == ("/img/logo.png", 200, 20480)


def test_parse_rejects_noise():
    assert parse_line("# rotated") is None
    assert parse_line("garbage") is None


def test_summary_of_clean_log():
    s = summarize(LINES)
    assert s["statuses"] == {"2xx": 2, "4xx": 1, "5xx": 1}
    assert s["busiest_hour"] == "09:00"
    assert s["bytes"] == 26112


def test_report_lines():
    assert report(LINES).splitlines()[:3] == ["requests: 4", "bytes: 26112", "error rate: 50.0%"]


def test_log_with_comments_and_blank_lines():
    s = summarize(["# log rotated at midnight", ""] + LINES)
    assert s["requests"] == 4
