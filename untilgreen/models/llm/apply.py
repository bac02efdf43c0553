"""Applying parsed edits to file texts: pure, no I/O beyond the two callbacks.

A SEARCH text is looked for line by line with a ladder of ever more tolerant matchers, as aider's
`editblock_coder.py` does: exact lines, then ignoring trailing whitespace and blank lines, then matching the
block's *relative* indentation at another base indentation (the replacement is re-indented to match). A SEARCH
matching several places is refused rather than guessed. When nothing matches, the error shows the nearest real
lines of the file so the model can copy them on its next try. Tab-indented SEARCH/REPLACE text is matched with
its tabs as four spaces when the file indents with spaces.

Before that, a path is resolved to the one project file it can mean (`paths.py`); a file that does not exist is
created only when `create` is set (goal mode). A whole-file block must name an existing file and keep at least
half of its lines (a shorter one is a fragment, not a file). The caller applies a reply all or nothing: one block
that fails refuses the reply, and the message names the failing blocks.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from untilgreen.models.base import Edit, FileWrite, SearchReplace, SymbolReplace, WholeFile
from untilgreen.models.llm.paths import resolve_path

if TYPE_CHECKING:
    from untilgreen.context.model import Chunk

NEAREST_MAX_LINES = 12  # lines of the nearest match shown to the model


@dataclass
class ApplyResult:
    """New file texts (`None`: the file is deleted), the indices (0-based) of the edits that applied, and one
    error per edit that did not. `message` is what to tell the model."""

    files: dict[str, str | None] = field(default_factory=dict)
    applied: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def message(self) -> str:
        if not self.errors:
            return ""
        done = ", ".join(str(i + 1) for i in self.applied)
        tail = f" (block(s) {done} would have applied)" if done else ""
        return (
            "\n\n".join(self.errors)
            + f"\n\nNothing was applied: the blocks of a reply apply together or not at all{tail}."
        )


def apply_edits(
    edits: Sequence[Edit],
    read: Callable[[str], str | None],
    chunks: Callable[[str], Chunk | None] | None = None,
    *,
    files: Collection[str] | None = None,
    create: bool = True,
) -> ApplyResult:
    """Apply `edits` in order on top of `read(path)` (None: no such file); `chunks(id)` resolves symbol ids.
    `files`, the project's files, lets a model's paths be resolved; `create` allows new files."""
    result = ApplyResult(total=len(edits))

    def current(path: str) -> str | None:
        return result.files[path] if path in result.files else read(path)

    def resolved(path: str) -> tuple[str, str]:
        if files is None or path in result.files:
            return path, ""
        return resolve_path(path, files)

    for number, edit in enumerate(edits, 1):
        if isinstance(edit, FileWrite):
            path, new, error = edit.path, edit.text, ""
        elif isinstance(edit, (SearchReplace, WholeFile)):
            path, error = resolved(edit.path)
            new, error = (None, error) if error else _model_edit(current(path), edit, create)
        else:
            chunk = chunks(edit.chunk_id) if chunks is not None else None
            path = chunk.path if chunk is not None else edit.chunk_id.partition("::")[0]
            new, error = _symbol_replace(current(path), chunk, edit)
        if error:
            result.errors.append(f"Block {number} ({path}): {error}")
        else:
            result.files[path] = new
            result.applied.append(number - 1)
    return result


def _model_edit(text: str | None, edit: SearchReplace | WholeFile, create: bool) -> tuple[str | None, str]:
    if text is None and not create:
        return None, (
            "the file does not exist, and a fix edits existing files only; check the path against the code "
            "shown."
        )
    if isinstance(edit, WholeFile):
        return _whole_file(text, edit.text)
    if not edit.search.strip():
        if text is None or not text.strip():
            return edit.replace, ""
        return text + ("" if text.endswith("\n") else "\n") + edit.replace, ""  # append, as aider does
    if text is None:
        return None, "the file does not exist; check the path (an empty SEARCH creates a new file)."
    if not any(line.startswith("\t") for line in text.splitlines()):
        return replace_lines(text, _untab(edit.search), _untab(edit.replace))
    return replace_lines(text, edit.search, edit.replace)


def _untab(text: str) -> str:
    """Leading tabs as four spaces each."""
    return "".join(
        line[: len(line) - len(line.lstrip("\t"))].replace("\t", "    ") + line.lstrip("\t")
        for line in text.splitlines(keepends=True)
    )


def _whole_file(text: str | None, new: str) -> tuple[str | None, str]:
    if text is None:
        return None, "a whole-file block must name an existing file; create a file with an empty SEARCH."
    old = [line for line in text.splitlines() if line.strip()]
    if 2 * len([line for line in new.splitlines() if line.strip()]) < len(old):
        return None, (
            f"the block has under half of the file's {len(old)} non-blank lines, so it looks like a fragment, "
            "not the whole file; use SEARCH/REPLACE blocks for partial changes."
        )
    return "".join(_with_endings(new.splitlines(), text.splitlines(keepends=True))), ""


def replace_lines(text: str, search: str, replace: str) -> tuple[str | None, str]:
    """`text` with the one place matching `search` replaced, or (None, why not)."""
    lines = text.splitlines(keepends=True)
    wanted = search.splitlines()
    for matcher in (_exact, _tolerant, _relative):
        found = matcher(lines, wanted)
        if len(found) > 1:
            starts = ", ".join(str(start + 1) for start, _, _ in found)
            return None, (
                f"the SEARCH text matches {len(found)} places (lines {starts}); include more "
                "surrounding lines so it matches exactly one."
            )
        if found:
            start, end, indent = found[0]
            new = _reindent(replace.splitlines(), *indent)
            return "".join(lines[:start] + _with_endings(new, lines[start:end]) + lines[end:]), ""
    return None, "the SEARCH text does not match the file. " + nearest_lines(lines, wanted)


# A matcher returns every (start, end, (from_indent, to_indent)) region of `lines` that `wanted` matches.
_Match = tuple[int, int, tuple[str, str]]


def _exact(lines: list[str], wanted: list[str]) -> list[_Match]:
    plain = [line.rstrip("\r\n") for line in lines]
    size = len(wanted)
    return [(i, i + size, ("", "")) for i in range(len(plain) - size + 1) if plain[i : i + size] == wanted]


def _tolerant(lines: list[str], wanted: list[str]) -> list[_Match]:
    """Trailing whitespace and blank lines ignored."""
    return _windows(lines, wanted, relative=False)


def _relative(lines: list[str], wanted: list[str]) -> list[_Match]:
    """The same relative indentation at another base indentation."""
    return _windows(lines, wanted, relative=True)


def _windows(lines: list[str], wanted: list[str], *, relative: bool) -> list[_Match]:
    want = [line.rstrip() for line in wanted if line.strip()]
    if not want:
        return []
    want_indent = _common_indent(want) if relative else ""
    want = [line[len(want_indent) :] for line in want]
    solid = [i for i, line in enumerate(lines) if line.strip()]
    found: list[_Match] = []
    for w in range(len(solid) - len(want) + 1):
        window = [lines[i].rstrip() for i in solid[w : w + len(want)]]
        indent = _common_indent(window) if relative else ""
        if [line[len(indent) :] for line in window] == want:
            found.append((solid[w], solid[w + len(want) - 1] + 1, (want_indent, indent)))
    return found


def _common_indent(lines: Sequence[str]) -> str:
    indents = [line[: len(line) - len(line.lstrip())] for line in lines if line.strip()]
    common = indents[0] if indents else ""
    for indent in indents[1:]:
        while not indent.startswith(common):
            common = common[:-1]
    return common


def _first_indent(lines: Sequence[str]) -> str:
    first = next((line for line in lines if line.strip()), "")
    return first[: len(first) - len(first.lstrip())]


def _reindent(lines: list[str], old: str, new: str) -> list[str]:
    """Move `lines` from base indentation `old` to `new`; lines indented less than `old` shift by the difference."""
    if old == new:
        return lines
    moved = []
    for line in lines:
        if not line.strip():
            moved.append("")
        elif line.startswith(old):
            moved.append(new + line[len(old) :])
        else:
            width = len(line) - len(line.lstrip())
            moved.append(" " * max(0, width - len(old) + len(new)) + line.lstrip())
    return moved


def _with_endings(new: list[str], old: list[str]) -> list[str]:
    """Terminate the new lines like the replaced ones (CRLF or LF; none after a last line that had none)."""
    if not new:
        return []
    eol = "\r\n" if old and old[0].endswith("\r\n") else "\n"
    last_eol = eol if not old or old[-1].endswith("\n") else ""
    return [line + eol for line in new[:-1]] + [new[-1] + last_eol]


def nearest_lines(lines: list[str], wanted: list[str]) -> str:
    """A sentence and a numbered excerpt: the window of the file most similar to `wanted`."""
    target = "\n".join(line.strip() for line in wanted if line.strip())
    size = max(1, min(len([w for w in wanted if w.strip()]), NEAREST_MAX_LINES))
    best, best_start = 0.0, -1
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)
    for start in range(max(1, len(lines) - size + 1)):
        matcher.set_seq1("\n".join(line.strip() for line in lines[start : start + size]))
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
            ratio = matcher.ratio()
            if ratio > best:
                best, best_start = ratio, start
    if best_start < 0 or best < 0.3:
        return (
            "Nothing in the file resembles it; check the file path and copy the SEARCH lines from the file."
        )
    window = lines[best_start : best_start + size]
    numbered = "\n".join(f"{best_start + i + 1:>5} | {line.rstrip()}" for i, line in enumerate(window))
    return (
        f"The nearest real lines are lines {best_start + 1}-{best_start + len(window)} "
        f"({best:.0%} similar); copy SEARCH lines exactly from the file:\n{numbered}"
    )


def _symbol_replace(text: str | None, chunk: Chunk | None, edit: SymbolReplace) -> tuple[str | None, str]:
    if chunk is None:
        return None, (
            f"`{edit.chunk_id}` is not a known symbol; use an id exactly as the code headings show it "
            "(`path::Qualified.name`), or a SEARCH/REPLACE block."
        )
    if text is None:
        return None, "the file does not exist."
    lines = text.splitlines(keepends=True)
    old = chunk.text.splitlines()
    if [line.rstrip("\r\n") for line in lines[chunk.start - 1 : chunk.end]] == old:
        region = [(chunk.start - 1, chunk.end, ("", ""))]
    else:
        region = _exact(lines, old)
    if len(region) != 1:
        if chunk.kind in ("class", "type"):
            return None, (
                f"`{edit.chunk_id}` is shown with its methods elided, so it cannot be replaced whole; "
                "replace its methods one by one (`path::Class.method`) or use a SEARCH/REPLACE block."
            )
        return None, f"`{edit.chunk_id}` was changed by an earlier block; put both changes in one block."
    start, end, _ = region[0]
    new = edit.text.splitlines()
    new = _reindent(new, _first_indent(new), _first_indent(old))
    return "".join(lines[:start] + _with_endings(new, lines[start:end]) + lines[end:]), ""
