"""Errors a user can cause, each carrying one sentence that names the cause and the fix."""

from __future__ import annotations

EXIT_GREEN = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_CANCELLED = 130


class UserError(Exception):
    """A problem the user can fix (bad config, no tests, unreachable model).

    The message is shown as-is, without a traceback, so it must say what is wrong and what to do.
    """

    exit_code = EXIT_USAGE


class ConfigError(UserError):
    """A setting is unknown or has a bad value; the message names the key and the file."""


class Cancelled(Exception):
    """The run was cancelled by the user (Ctrl-C, the editor, a cancel command)."""

    exit_code = EXIT_CANCELLED
