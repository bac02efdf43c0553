"""A test editor on top of the pytest-lsp client: open buffers with versions, applyEdit that writes to disk.

`Editor.apply` honours what a real editor does: a TextDocumentEdit for a version the buffer no longer has is
refused; positions are UTF-16; CreateFile creates the file. Applied buffers are written to disk, so a plain
pytest run on the folder afterwards tells whether the applied edit made the tests green.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path
from pytest_lsp import LanguageClient

BUGGY = {
    "calc/__init__.py": "",
    "calc/grading.py": textwrap.dedent('''\
        """Grades from scores."""


        def passed(score, threshold=50):
            """Whether `score` reaches the pass mark."""
            return score > threshold


        def label(score):
            return "pass" if passed(score) else "fail"
        '''),
    "tests/test_grading.py": textwrap.dedent("""\
        from calc.grading import label, passed


        def test_exactly_the_threshold_passes():
            assert passed(50)


        def test_above():
            assert passed(70)


        def test_label():
            assert label(20) == "fail"
        """),
}
TARGET = "tests/test_grading.py::test_exactly_the_threshold_passes"


def write_project(root: Path, files: dict[str, str] = BUGGY) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def plain_pytest(root: Path) -> subprocess.CompletedProcess[str]:
    """The project's tests as a user runs them, outside untilgreen."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


def plain(value: Any) -> Any:
    """Custom notification params as plain JSON values (pygls hands them over as attribute objects)."""
    if hasattr(value, "_asdict"):
        value = value._asdict()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def offset_of(text: str, pos: types.Position) -> int:
    """Character offset of an LSP position (UTF-16 columns)."""
    lines = text.splitlines(keepends=True)
    offset = sum(len(line) for line in lines[: pos.line])
    content = (lines[pos.line] if pos.line < len(lines) else "").rstrip("\r\n")
    units = 0
    for i, ch in enumerate(content):
        if units >= pos.character:
            return offset + i
        units += 2 if ord(ch) > 0xFFFF else 1
    return offset + len(content)


def apply_text_edits(text: str, edits: list[Any]) -> str:
    spans = sorted(
        ((offset_of(text, e.range.start), offset_of(text, e.range.end), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


@dataclass
class Editor:
    client: LanguageClient
    root: Path
    buffers: dict[str, tuple[int, str]] = field(default_factory=dict)  # uri -> (version, text)
    applied: list[types.WorkspaceEdit] = field(default_factory=list)
    refuse_edits: bool = False
    notifications: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (attempt|run, params)

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [params for k, params in self.notifications if k == kind]

    def final_state(self, run_id: str) -> str | None:
        states = [n["state"] for n in self.of("run") if n["runId"] == run_id and n["state"] != "running"]
        return states[-1] if states else None

    def uri(self, rel: str) -> str:
        return from_fs_path(str(self.root / rel)) or ""

    def open(self, rel: str, text: str | None = None) -> str:
        uri = self.uri(rel)
        text = (self.root / rel).read_text(encoding="utf-8") if text is None else text
        self.buffers[uri] = (1, text)
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
            )
        )
        return uri

    def change(self, rel: str, text: str) -> None:
        uri = self.uri(rel)
        version = self.buffers[uri][0] + 1
        self.buffers[uri] = (version, text)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    def save(self, rel: str) -> None:
        uri = self.uri(rel)
        (self.root / rel).write_text(self.buffers[uri][1], encoding="utf-8")
        self.client.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    def apply(self, params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        if self.refuse_edits:
            return types.ApplyWorkspaceEditResult(applied=False, failure_reason="the user declined")
        edit = params.edit
        staged: dict[str, str] = {}
        plain_changes = [
            types.TextDocumentEdit(types.OptionalVersionedTextDocumentIdentifier(uri, None), edits)
            for uri, edits in (edit.changes or {}).items()
        ]
        for change in [*(edit.document_changes or []), *plain_changes]:
            if isinstance(change, types.CreateFile):
                staged[change.uri] = ""
                continue
            uri = change.text_document.uri
            if uri in staged:
                text = staged[uri]
            elif uri in self.buffers:
                version, text = self.buffers[uri]
                if change.text_document.version is not None and change.text_document.version != version:
                    return types.ApplyWorkspaceEditResult(applied=False, failure_reason="version mismatch")
            else:
                text = Path(to_fs_path(uri) or "").read_text(encoding="utf-8")
            staged[uri] = apply_text_edits(text, list(change.edits))
        for uri, text in staged.items():
            if uri in self.buffers:
                self.buffers[uri] = (self.buffers[uri][0] + 1, text)
            path = Path(to_fs_path(uri) or "")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self.applied.append(edit)
        return types.ApplyWorkspaceEditResult(applied=True)

    async def command(self, name: str, **arg: Any) -> Any:
        return await self.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=name, arguments=[arg] if arg else [])
        )

    async def actions(
        self,
        rel: str,
        line: int,
        diagnostics: list[types.Diagnostic] | None = None,
        only: list[str] | None = None,
    ) -> list[Any]:
        result = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=self.uri(rel)),
                range=types.Range(
                    start=types.Position(line=line, character=0), end=types.Position(line=line, character=0)
                ),
                context=types.CodeActionContext(diagnostics=diagnostics or [], only=only),
            )
        )
        return list(result or [])  # CodeActions carrying a command may decode as Command: use titles

    def diagnostics(self, rel: str) -> list[types.Diagnostic]:
        return list(self.client.diagnostics.get(self.uri(rel), []))

    async def wait_until(self, condition: Any, timeout: float = 30.0, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out waiting for {what}; messages: {[m.message for m in self.client.messages]}"
                )
            await asyncio.sleep(0.05)
