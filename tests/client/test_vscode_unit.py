"""The extension's unit tests (node's test runner): interpreter resolution, settings mapping, the Attempts tree,
test ids, status, and package.json's settings checked against untilgreen.settings.SPECS."""

from __future__ import annotations

import re

from tests.client.vscode import npm


def test_extension_unit_tests_pass() -> None:
    output = npm("test")
    counts = dict(re.findall(r"^# (pass|fail) (\d+)$", output, re.MULTILINE))
    assert counts.get("fail") == "0" and int(counts.get("pass", 0)) >= 20, output[-3000:]
