"""Packing: the failing tests' source always, then ranked chunks whole (with their enclosing class headers)
while they fit, then skeletons of the rest of the touched files while they fit. When those pieces would cost
more than the touched files themselves (small files), the files are sent whole instead."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from untilgreen.context.languages import spec_for
from untilgreen.context.model import Chunk, Context
from untilgreen.context.tokens import TokenCounter

RELATIVE_FLOOR = 0.25  # chunks scoring under this share of the best are noise, not worth their tokens
MAX_WHOLE = 6  # the few most likely pieces go whole; the rest of their files only as an outline
TITLE_REASONS = 2  # the strongest reasons shown in a chunk's title


def pack(
    ranked: Sequence[Chunk],
    tests: Sequence[Chunk],
    file_chunks: Callable[[str], list[Chunk]],
    file_text: Callable[[str], str | None],
    budget_tokens: int,
    count: TokenCounter,
) -> Context:
    sections: list[str] = []
    used = 0

    def fits(section: str) -> bool:
        nonlocal used
        cost = count(section)
        if used + cost > budget_tokens:
            return False
        sections.append(section)
        used += cost
        return True

    for test in tests:  # always, even over budget: without the test there is nothing to fix
        sections.append(
            _block(f"{test.id} (failing test, lines {test.start}-{test.end})", test.path, test.text)
        )
        used += count(sections[-1])

    floor = RELATIVE_FLOOR * ranked[0].score if ranked else 0.0
    packed = [
        c for c in ranked if c.score > floor and len(sections) - len(tests) < MAX_WHOLE and fits(_whole(c))
    ]
    shown = {c.id for c in packed} | {t.id for t in tests}
    touched = list(dict.fromkeys(c.path for c in packed))
    for path in touched:
        outline = [c.skeleton for c in file_chunks(path) if not c.header and c.id not in shown]
        if outline:
            fits(_block(f"{path} (outline of the rest of the file)", path, "\n".join(outline)))
    pieces = sections[len(tests) :]
    texts = [file_text(path) for path in touched]
    if pieces and all(t is not None for t in texts):
        whole = [_block(f"{path} (whole file)", path, t) for path, t in zip(touched, texts)]  # type: ignore[arg-type]
        if count("\n\n".join(whole)) <= count("\n\n".join(pieces)):
            sections[len(tests) :] = whole
    rendered = "\n\n".join(sections)
    return Context(
        chunks=packed, tokens=count(rendered), rendered=rendered, tests=list(tests), ranked=list(ranked)
    )


def _whole(chunk: Chunk) -> str:
    why = "; ".join(chunk.why.split("; ")[:TITLE_REASONS])
    title = f"{chunk.id} (lines {chunk.start}-{chunk.end}; score {chunk.score:.2f}: {why})"
    body = f"{chunk.header}\n    ...\n{chunk.text}" if chunk.header else chunk.text
    return _block(title, chunk.path, body)


def _block(title: str, path: str, body: str) -> str:
    spec = spec_for(path)
    return f"### {title}\n```{spec.name if spec else ''}\n{body}\n```"
