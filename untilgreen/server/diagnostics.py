"""Diagnostics: one merged set per file, built from layers that never overwrite each other.

`publishDiagnostics` replaces a file's whole set, so the failing-test layer and the run layer (attempts, then the
summary) are kept apart and merged per file before each publish; only files whose merged set changed are sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from lsprotocol import types

from untilgreen.protocol import Finding
from untilgreen.server.edits import utf16_len

SOURCE = "untilgreen"
TESTS, RUN = "tests", "run"  # the layers

LineText = Callable[[str, int], "str | None"]  # (rel path, 0-based line) -> the line's text, if known


@dataclass(frozen=True)
class FailureInfo:
    """One failing test as `untilgreen check --json` reports it; frames are (rel file, 1-based line, function),
    project frames only, outermost first."""

    test_id: str
    kind: str
    message: str
    signature: str
    frames: tuple[tuple[str, int, str], ...] = ()

    @property
    def test_file(self) -> str:
        return self.test_id.split("::", 1)[0]

    @property
    def title(self) -> str:
        """`<ExcType>: <first line of the message>`."""
        exc_type = self.signature.split(":", 1)[0].strip() or self.kind.capitalize()
        lines = [ln.strip() for ln in self.message.strip().splitlines() if ln.strip()]
        first = lines[0] if lines else ""
        if first.startswith(exc_type + ":"):
            first = first[len(exc_type) + 1 :].strip()
        return f"{exc_type}: {first}" if first else exc_type

    def locations(self) -> list[tuple[str, int]]:
        """(rel file, 1-based line): the failing line in the test file, and the deepest project frame elsewhere."""
        in_test = [f for f in self.frames if f[0] == self.test_file]
        found = [(self.test_file, in_test[-1][1] if in_test else 1)]
        if self.frames and self.frames[-1][0] != self.test_file:
            found.append((self.frames[-1][0], self.frames[-1][1]))
        return found


def line_range(rel: str, line0: int, line_text: LineText) -> types.Range:
    """The line from its first non-blank character to its end, in UTF-16 columns."""
    text = (line_text(rel, line0) or "").rstrip("\r\n")
    indent = len(text) - len(text.lstrip())
    return types.Range(
        start=types.Position(line=line0, character=utf16_len(text[:indent])),
        end=types.Position(line=line0, character=utf16_len(text)),
    )


def failure_diagnostics(
    failures: Iterable[FailureInfo], line_text: LineText
) -> dict[str, list[types.Diagnostic]]:
    by_file: dict[str, list[types.Diagnostic]] = {}
    for failure in failures:
        for rel, line in failure.locations():
            where = "" if rel == failure.test_file else f" (in {failure.test_id})"
            by_file.setdefault(rel, []).append(
                types.Diagnostic(
                    range=line_range(rel, max(line - 1, 0), line_text),
                    message=failure.title + where,
                    severity=types.DiagnosticSeverity.Error,
                    source=SOURCE,
                    code=failure.kind,
                    data={"testId": failure.test_id, "signature": failure.signature},
                )
            )
    return by_file


def info_diagnostics(
    ranges: Mapping[str, list[list[int]]], message: str
) -> dict[str, list[types.Diagnostic]]:
    """Information diagnostics over 1-based inclusive line ranges (the lines an attempt changed)."""
    by_file: dict[str, list[types.Diagnostic]] = {}
    for rel, spans in ranges.items():
        for start, end in spans:
            by_file.setdefault(rel, []).append(
                types.Diagnostic(
                    range=types.Range(
                        start=types.Position(line=max(start - 1, 0), character=0),
                        end=types.Position(line=max(end, start), character=0),
                    ),
                    message=message,
                    severity=types.DiagnosticSeverity.Information,
                    source=SOURCE,
                )
            )
    return by_file


def security_diagnostics(findings: Iterable[Finding], where: str) -> dict[str, list[types.Diagnostic]]:
    """Warning diagnostics on the lines where a patch adds security findings; `where` says whose patch."""
    by_file: dict[str, list[types.Diagnostic]] = {}
    for finding in findings:
        line = max(finding.line - 1, 0)
        by_file.setdefault(finding.path, []).append(
            types.Diagnostic(
                range=types.Range(
                    start=types.Position(line=line, character=0),
                    end=types.Position(line=line + 1, character=0),
                ),
                message=f"{where}: {finding.message}",
                severity=types.DiagnosticSeverity.Warning,
                source=SOURCE,
                code=finding.code,
            )
        )
    return by_file


@dataclass
class DiagnosticSets:
    """Per file, per layer; `publish(uri, diagnostics)` is called with the merged set of each changed file."""

    publish: Callable[[str, list[types.Diagnostic]], None]
    uri_of: Callable[[str], str]
    layers: dict[str, dict[str, list[types.Diagnostic]]] = field(default_factory=dict)  # layer -> rel -> list
    _sent: dict[str, list[types.Diagnostic]] = field(default_factory=dict)  # rel -> last merged set published

    def replace(self, layer: str, by_file: Mapping[str, list[types.Diagnostic]]) -> None:
        """Make `by_file` the whole of `layer` (files it does not name lose their diagnostics of that layer)."""
        self.layers[layer] = {rel: list(diags) for rel, diags in by_file.items() if diags}
        self._flush()

    def add(self, layer: str, by_file: Mapping[str, list[types.Diagnostic]]) -> None:
        current = self.layers.setdefault(layer, {})
        for rel, diags in by_file.items():
            current.setdefault(rel, []).extend(diags)
        self._flush()

    def merged(self, rel: str) -> list[types.Diagnostic]:
        return [d for layer in sorted(self.layers) for d in self.layers[layer].get(rel, [])]

    def _flush(self) -> None:
        files = set(self._sent) | {rel for layer in self.layers.values() for rel in layer}
        for rel in sorted(files):
            diags = self.merged(rel)
            if diags != self._sent.get(rel, []):
                self.publish(self.uri_of(rel), diags)
            if diags:
                self._sent[rel] = diags
            else:
                self._sent.pop(rel, None)
