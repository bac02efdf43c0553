"""Language-server figures: start-up to the `initialize` response against a bare pygls server started in the same
run, and `textDocument/codeAction` latency on a 2,000-line test file, idle and while a fix run is active.

    .venv/bin/python benchmarks/bench_lsp.py [--starts 7] [--actions 300]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.e2e.editor import TARGET, write_project  # noqa: E402

BARE = [
    sys.executable,
    "-c",
    "from pygls.lsp.server import LanguageServer; LanguageServer('bare', '1').start_io()",
]
OURS = [sys.executable, "-m", "untilgreen", "lsp"]


def big_test_file(lines: int = 2000) -> str:
    parts = ["from calc.grading import label, passed\n\n"]
    n = 0
    while sum(p.count("\n") for p in parts) < lines - 6:
        parts.append(
            f"\ndef test_generated_{n}():\n    value = {n}\n    # a comment line\n    assert label(value) in ('pass', 'fail')\n\n"
        )
        n += 1
    return "".join(parts)


async def start(cmd: list[str], root: Path) -> tuple[LanguageClient, float]:
    client = LanguageClient("bench", "1")
    started = time.perf_counter()
    await client.start_io(*cmd)
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=from_fs_path(str(root)),
            workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(root)) or "", name="p")],
        )
    )
    elapsed = time.perf_counter() - started
    client.initialized(types.InitializedParams())
    return client, elapsed


async def stop(client: LanguageClient) -> None:
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


async def initialize_figures(root: Path, starts: int) -> tuple[float, float]:
    bare, ours = [], []
    for _ in range(starts):  # alternate, so both see the same machine load
        for cmd, into in ((BARE, bare), (OURS, ours)):
            client, elapsed = await start(cmd, root)
            into.append(elapsed)
            await stop(client)
    return statistics.median(bare), statistics.median(ours)


async def code_action_latencies(client: LanguageClient, uri: str, count: int, lines: int) -> list[float]:
    diag = types.Diagnostic(
        range=types.Range(
            start=types.Position(line=4, character=4), end=types.Position(line=4, character=20)
        ),
        message="AssertionError: assert False",
        source="untilgreen",
        code="failed",
        data={"testId": TARGET, "signature": "AssertionError: assert False"},
    )
    found = []
    for i in range(count):
        line = (i * 37) % lines
        pos = types.Position(line=line, character=0)
        started = time.perf_counter()
        await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(start=pos, end=pos),
                context=types.CodeActionContext(diagnostics=[diag] if i % 2 else []),
            )
        )
        found.append(time.perf_counter() - started)
    return found


def p99(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.99) - 1)] * 1000


async def main() -> None:
    import logging

    logging.disable(logging.WARNING)  # the bare client ignores our notifications, and says so
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=7)
    parser.add_argument("--actions", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = write_project(Path(tmp) / "project")
        text = big_test_file()
        (root / "tests/test_big.py").write_text(text)
        bare, ours = await initialize_figures(root, args.starts)
        print(
            f"initialize: bare pygls {bare * 1000:.0f} ms, untilgreen {ours * 1000:.0f} ms "
            f"(ratio {ours / bare:.2f}, median of {args.starts} alternating starts)"
        )

        client, _ = await start(OURS, root)
        uri = from_fs_path(str(root / "tests/test_big.py")) or ""
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
            )
        )
        lines = text.count("\n")
        idle = await code_action_latencies(client, uri, args.actions, lines)
        print(
            f"codeAction on a {lines}-line file, idle: p50 {statistics.median(idle) * 1000:.2f} ms, "
            f"p99 {p99(idle):.2f} ms ({args.actions} requests)"
        )
        answer = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="untilgreen.fix", arguments=[{"targets": [TARGET]}])
        )
        await asyncio.sleep(1.0)  # the worker is up and running tests
        busy = await code_action_latencies(client, uri, args.actions, lines)
        shown = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="untilgreen.showRun", arguments=[{"runId": answer["runId"]}])
        )
        print(
            f"codeAction during a run (run state afterwards: {shown['state']}): "
            f"p50 {statistics.median(busy) * 1000:.2f} ms, p99 {p99(busy):.2f} ms ({args.actions} requests)"
        )
        await client.workspace_execute_command_async(types.ExecuteCommandParams(command="untilgreen.cancel"))
        await stop(client)


if __name__ == "__main__":
    asyncio.run(main())
