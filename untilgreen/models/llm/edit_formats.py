"""Turning a model's reply into edits. Code never travels inside JSON: edits are plain-text blocks.

SEARCH/REPLACE (aider's syntax; the file path alone on the line before, fences around the block allowed)::

    path/to/file.py
    <<<<<<< SEARCH
    old lines
    =======
    new lines
    >>>>>>> REPLACE

Whole-symbol replacement, by the chunk id the code headings show (a fenced block follows the header)::

    ### REPLACE SYMBOL path/to/file.py::Class.method
    ```python
    def method(self): ...
    ```

Both syntaxes are recognised whatever format the model was asked for, and so are a unified diff
(`unified_diff.py`) and, in a reply with no blocks at all, one fenced block holding a whole file: taken as that
file's new text when the path is on the line before the fence or in its info string, or when the request showed
exactly one file. Replacement code that elides lines (`# ... rest unchanged`, see `elisions.py`) is refused. A
reply that cannot be turned into edits gives a precise `parse_error` for the next prompt, never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from untilgreen.models.base import Edit, SearchReplace, SymbolReplace, WholeFile
from untilgreen.models.llm.elisions import elision
from untilgreen.models.llm.unified_diff import read_diff, starts_diff

SEARCH_REPLACE = "search-replace"
SYMBOL = "symbol"

_HEAD = re.compile(r"^\s*<{5,9} ?SEARCH\s*$")
_DIVIDER = re.compile(r"^\s*={5,9}\s*$")
_TAIL = re.compile(r"^\s*>{5,9} ?REPLACE\s*$")
_SYMBOL = re.compile(r"^\s*#{0,6}\s*REPLACE SYMBOL\b\s*(?P<id>.*?)\s*$", re.IGNORECASE)
_FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})\s*(?P<info>\S*)\s*$")
_NOT_CODE = {"diff", "patch", "text", "txt", "console", "shell", "sh", "bash", "output", "log"}
_PATH = re.compile(r"^(?=.*\w)(?=.*[./])[\w.@+~-]+(?:/[\w.@+~-]+)*$")  # a word character and a dot or slash
# Model names that suggest a small local model, which follows whole-symbol replacement better.
_SMALL_MODEL = re.compile(
    r"(?i)^(?:ollama|ollama_chat|lm_studio|llamafile)/|[:\-_](?:0\.5|1|1\.5|2|3|4|7|8)b\b"
)
EXPLANATION_CHARS = 1500


def resolve_format(edit_format: str, model: str) -> str:
    """`auto` is whole-symbol replacement for small local models (`ollama/...`, sizes up to 8b such as `:7b`
    or `-3b`) and SEARCH/REPLACE for everything else."""
    if edit_format != "auto":
        return edit_format
    return SYMBOL if _SMALL_MODEL.search(model) else SEARCH_REPLACE


@dataclass
class Parsed:
    edits: list[Edit] = field(default_factory=list)
    error: str = ""  # set when the reply cannot be used; `edits` is then empty
    explanation: str = ""  # the prose around the blocks
    unterminated: bool = False  # the last edit, a diff hunk, runs to the reply's end: maybe cut off


class _Malformed(Exception):
    pass


def parse_reply(reply: str, edit_format: str, context_files: Sequence[str] = ()) -> Parsed:
    """The edits in `reply`; `edit_format` (`search-replace` or `symbol`) only shapes the error messages, and
    `context_files` (the files the request showed) names the file of an unnamed whole-file block."""
    lines = reply.splitlines()
    edits: list[Edit] = []
    prose: list[str] = []
    unterminated = False
    try:
        i = 0
        while i < len(lines):
            if _HEAD.match(lines[i]):
                edit, i = _search_replace(lines, i, len(edits) + 1, edits)
            elif _SYMBOL.match(lines[i]):
                edit, i = _symbol(lines, i, len(edits) + 1)
            elif starts_diff(lines, i):
                hunks, i = _diff(lines, i)
                edits += hunks
                unterminated = i >= len(lines)
                continue
            else:
                prose.append(lines[i])
                i += 1
                continue
            edits.append(edit)
        if not edits:
            edits, prose = _whole_file(lines, context_files)
        _refuse_elisions(edits)
    except _Malformed as error:
        return Parsed(error=f"{error} {_how(edit_format)}", explanation=_explain(prose))
    if not edits:
        return Parsed(error=_no_blocks(reply, edit_format), explanation=_explain(prose))
    paths = {e.path for e in edits if isinstance(e, (SearchReplace, WholeFile))}
    explanation = _explain([p for p in prose if _clean(_undecorated(p)) not in paths])
    return Parsed(edits=edits, explanation=explanation, unterminated=unterminated)


def _search_replace(lines: list[str], head: int, number: int, earlier: list[Edit]) -> tuple[Edit, int]:
    path = _path_before(lines, head)
    if path is None:
        previous = [e.path for e in earlier if isinstance(e, SearchReplace)]
        if not previous:
            raise _Malformed(
                f"Block {number} has no file path: put the path alone on the line before `<<<<<<< SEARCH`."
            )
        path = previous[-1]
    search, divider = _until(lines, head + 1, _DIVIDER, number, path, "`=======`")
    replace, tail = _until(lines, divider + 1, _TAIL, number, path, "`>>>>>>> REPLACE`")
    return SearchReplace(path, _text(search), _text(replace)), tail + 1


def _until(
    lines: list[str], start: int, end: re.Pattern[str], number: int, path: str, name: str
) -> tuple[list[str], int]:
    for i in range(start, len(lines)):
        if end.match(lines[i]):
            return lines[start:i], i
        if any(p.match(lines[i]) for p in (_HEAD, _DIVIDER, _TAIL)):
            break
    raise _Malformed(f"Block {number} (for {path}) is malformed: it has no {name} line where one belongs.")


def _diff(lines: list[str], start: int) -> tuple[list[SearchReplace], int]:
    try:
        return read_diff(lines, start)
    except ValueError as error:
        raise _Malformed(str(error)) from None


def _whole_file(lines: list[str], context_files: Sequence[str]) -> tuple[list[Edit], list[str]]:
    """A reply whose only code is one closed fence: the whole new text of the file it names, or of the one
    file the request showed; no edit otherwise. Also returns the lines outside the fence (the prose)."""
    fences = _fences(lines)
    if len(fences) != 1 or fences[0][2].lower() in _NOT_CODE:
        return [], lines
    start, end, _ = fences[0]
    body = lines[start + 1 : end]
    path = _path_before(lines, start + 1)
    if path is None and len(context_files) == 1:
        path = context_files[0]
    if path is None or not any(line.strip() for line in body):
        return [], lines
    return [WholeFile(path, _text(body))], lines[:start] + lines[end + 1 :]


def _fences(lines: list[str]) -> list[tuple[int, int, str]]:
    """(opening, closing, info string) of the closed fenced blocks; an unclosed one ends the search."""
    found = []
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening:
            end = _closing(lines, i + 1, opening["fence"])
            if end is None:
                break
            found.append((i, end, opening["info"]))
            i = end
        i += 1
    return found


def _closing(lines: list[str], start: int, fence: str) -> int | None:
    for i in range(start, len(lines)):
        closing = lines[i].strip()
        if len(closing) >= len(fence) and set(closing) == {fence[0]}:
            return i
    return None


def _refuse_elisions(edits: list[Edit]) -> None:
    for number, edit in enumerate(edits, 1):
        if isinstance(edit, SearchReplace):
            name, line = edit.path, elision(edit.replace, edit.search)
        else:
            name = edit.chunk_id if isinstance(edit, SymbolReplace) else edit.path
            line = elision(edit.text or "")
        if line:
            raise _Malformed(
                f"Block {number} (for {name}) leaves code out with `{line}`, but replacement code is written "
                "into the file as it is, so that would delete the lines it stands for. Write out every line "
                "of the replacement; to keep it short, make the SEARCH smaller instead."
            )


def _path_before(lines: list[str], head: int) -> str | None:
    """The path on one of the three lines above a block, skipping an opening fence (which may carry it)."""
    for line in reversed(lines[max(0, head - 3) : head]):
        if not line.strip():
            continue
        fence = _FENCE.match(line)
        if fence:
            if _PATH.match(_clean(fence["info"])):
                return _clean(fence["info"])
            continue
        name = _clean(_undecorated(line))
        if _PATH.match(name):
            return name
        return None
    return None


def _undecorated(line: str) -> str:
    """A path line without the markdown around it (`**path**`, `# path`, `path:`)."""
    return line.strip().strip("`*#:'\"").strip()


def _clean(path: str) -> str:
    return path.removeprefix("./")


def _symbol(lines: list[str], head: int, number: int) -> tuple[Edit, int]:
    chunk_id = _SYMBOL.match(lines[head])["id"].strip("`*:'\"")  # type: ignore[index]
    if "::" not in chunk_id:
        raise _Malformed(
            f"Block {number}: `{chunk_id or '(nothing)'}` is not a symbol id; use `path::Qualified.name` "
            "exactly as the code headings show it."
        )
    start = head + 1
    while start < len(lines) and not lines[start].strip():
        start += 1
    opening = _FENCE.match(lines[start]) if start < len(lines) else None
    if opening is None:
        raise _Malformed(
            f"Block {number} ({chunk_id}): the REPLACE SYMBOL line must be followed by a fenced code block."
        )
    end = _closing(lines, start + 1, opening["fence"])
    if end is None:
        raise _Malformed(
            f"Block {number} ({chunk_id}): its code block is never closed with {opening['fence']}."
        )
    return SymbolReplace(chunk_id, _text(lines[start + 1 : end])), end + 1


def _text(lines: list[str]) -> str:
    return "\n".join(lines) + "\n" if lines else ""


def _how(edit_format: str) -> str:
    if edit_format == SYMBOL:
        return (
            "Write each change as `### REPLACE SYMBOL path::Qualified.name` followed by a fenced code block."
        )
    return (
        "Write each change as a SEARCH/REPLACE block: the file path, `<<<<<<< SEARCH`, the old lines, "
        "`=======`, the new lines, `>>>>>>> REPLACE`."
    )


def _no_blocks(reply: str, edit_format: str) -> str:
    kind = "REPLACE SYMBOL" if edit_format == SYMBOL else "SEARCH/REPLACE"
    if not reply.strip():
        return f"Your reply was empty. {_how(edit_format)}"
    if "```" in reply or re.search(r"(?m)^\s*(def|class|return|import|from)\b", reply):
        return (
            f"Your reply had code but no {kind} blocks, and code in prose or in plain fenced blocks cannot be "
            "applied (one fenced block is taken as a whole file only with the file's path on the line before "
            f"it). {_how(edit_format)}"
        )
    return f"Your reply had no {kind} blocks, so there was nothing to apply. {_how(edit_format)}"


def _explain(prose: list[str]) -> str:
    text = "\n".join(line for line in prose if not _FENCE.match(line)).strip()
    return text if len(text) <= EXPLANATION_CHARS else text[:EXPLANATION_CHARS].rstrip() + " ..."
