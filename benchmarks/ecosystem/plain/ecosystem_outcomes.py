"""The reference side of the ecosystem check: a pytest plugin that records each test's outcome, nothing else.

Loaded with `-p ecosystem_outcomes`; writes one JSON line `{"test_id", "outcome"}` per test (and per file
that fails to collect, as "error") to the file named by $ECOSYSTEM_OUTCOMES. Independent of untilgreen's own
plugin on purpose. Runs under pytest 3.10 and later (Python 3.7 and later).
"""

import json
import os

_phases = {}


def pytest_collectreport(report):
    if report.failed:
        _write(report.nodeid, "error")


def pytest_runtest_logreport(report):
    _phases.setdefault(report.nodeid, {})[report.when] = report


def pytest_runtest_logfinish(nodeid, location):
    _write(nodeid, _outcome(_phases.pop(nodeid, {})))


def _outcome(phases):
    """One outcome per test, as pytest's summary counts it (a setup or teardown failure is an error)."""
    setup, call, teardown = phases.get("setup"), phases.get("call"), phases.get("teardown")
    if setup is not None and setup.failed:
        return "error"
    if call is not None and call.failed:
        return "failed"
    if teardown is not None and teardown.failed:
        return "error"
    decisive = call if call is not None else setup
    if decisive is None:
        return "error"
    xfail = hasattr(decisive, "wasxfail")
    if decisive.skipped:
        return "xfailed" if xfail else "skipped"
    return "xpassed" if xfail else "passed"


def _write(test_id, outcome):
    with open(os.environ["ECOSYSTEM_OUTCOMES"], "a") as out:
        out.write(json.dumps({"test_id": test_id, "outcome": outcome}) + "\n")
