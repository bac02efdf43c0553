"""Shadow workspaces, the sandboxed runner and structured test results."""

from untilgreen.sandbox.process import Limits
from untilgreen.sandbox.results import Failure, Frame, TestReport
from untilgreen.sandbox.testrun import RunnerConfig, run_tests
from untilgreen.sandbox.workspace import Workspace

__all__ = ["Failure", "Frame", "Limits", "RunnerConfig", "TestReport", "Workspace", "run_tests"]
