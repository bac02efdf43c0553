"""Error signatures: one normalised line per failure, so that the same cause in different tests looks the same.

A signature is `"<ExcType>: <masked message> | <f1> > <f2>"`:

- the exception type without its module (``builtins.KeyError`` and ``KeyError`` are the same cause);
- the first meaningful lines of the message (at most `MAX_LINES`; pytest's diff noise dropped) with numbers,
  hex addresses, UUIDs, absolute and temp paths and quoted values masked. Quoted *identifiers* outside
  assertions are kept (``has no attribute 'total'``, ``'NoneType' object``): they name code, not data.
  The whole message of a ``KeyError``/``IndexError`` is data (the key), so it is masked entirely;
- the function names of the deepest `MAX_FRAMES` project frames, outermost first, without line numbers.
  Frames in test code (test files, ``conftest.py``, ``test_*`` functions) are excluded, and the failing
  test's own name and path are masked in the message: the same bug hit from two tests gives one signature.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from untilgreen.sandbox.results import Failure, Frame

MAX_LINES = 3
MAX_FRAMES = 2
MAX_LINE_CHARS = 160

_DATA_MESSAGE_TYPES = {"KeyError", "IndexError"}
# pytest output that explains a diff rather than the failure: stop reading the message there.
_NOISE = re.compile(
    r"^\s*(Full diff:|Use -v to get|Omitting \d+ identical items|At index \d+ diff:|Differing items:)"
)

_EXPLANATION = re.compile(r"^\+\s*(where|and)\b")
_UUID = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")
_ADDR = re.compile(r"\b0x[0-9a-fA-F]+\b")
# An absolute POSIX path with at least two components, or a Windows drive path.
_PATH = re.compile(r"(?<![\w.<>])(?:[A-Za-z]:\\[^\s'\",:)\]]+|/(?:[\w.@+~-]+/)+[\w.@+~-]*)")
_QUOTED = re.compile(r"""(?<!\w)(?P<q>['"])(?P<body>(?:\\.|(?!(?P=q)).){0,400}?)(?P=q)""")
_NUMBER = re.compile(r"(?<![\w.<])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w>])")
_IDENT = re.compile(r"[A-Za-z_][\w.]{0,40}")
_TYPE = re.compile(r"(?:[A-Za-z_]\w*\.)*[A-Z]\w*")  # an exception type, maybe with its module
_REPEAT = re.compile(r"(<[A-Z]+>)(?:,\s*\1)+")


@dataclass(frozen=True)
class Signature:
    text: str  # the normalised signature: "ZeroDivisionError: division by zero | apply_discount > ratio"
    exc_type: str
    message: str  # the masked message, lines joined with " / "
    functions: tuple[str, ...]  # deepest non-test project frames' function names, outermost first
    digest: str  # 12 hex chars of sha256(text)


def signature(failure: Failure) -> Signature:
    """Normalise `failure` into its signature."""
    exc_type = _short_type(failure.exc_type) or failure.kind.capitalize()
    test_names = _test_names(failure.test_id)
    message = mask_message(failure.message, exc_type=exc_type, test_names=test_names)
    functions = tuple(f.function for f in _code_frames(failure.frames, test_names))[-MAX_FRAMES:]
    text = exc_type + (f": {message}" if message else "")
    if functions:
        text += " | " + " > ".join(functions)
    return Signature(
        text=text,
        exc_type=exc_type,
        message=message,
        functions=functions,
        digest=hashlib.sha256(text.encode()).hexdigest()[:12],
    )


def query_signature(query: str) -> Signature:
    """What a user types to search memory, read as a signature: `Type: message | f > g` split like one (each part
    optional), the message masked like one (`assert 10.0 == 9.0` becomes `assert <N> == <N>`)."""
    head, _, where = " ".join(query.split()).partition(" | ")  # a whole signature pasted: its functions too
    functions = tuple(f for f in where.split(" > ") if f)
    exc_type, sep, message = head.partition(": ")
    if not (sep and _TYPE.fullmatch(exc_type)):
        exc_type, message = "", head
    exc_type = _short_type(exc_type)
    masked = mask_message(message, exc_type=exc_type) or message
    text = (f"{exc_type}: {masked}" if exc_type else masked) + (
        " | " + " > ".join(functions) if functions else ""
    )
    return Signature(text, exc_type, masked, functions, "")


def mask_message(message: str, *, exc_type: str = "", test_names: tuple[str, ...] = ()) -> str:
    """Mask the data in an exception message, keeping its first meaningful lines."""
    lines = _meaningful_lines(message, exc_type)
    if exc_type in _DATA_MESSAGE_TYPES:
        return "<V>" if lines else ""
    return " / ".join(_mask_line(line, test_names) for line in lines)


def _meaningful_lines(message: str, exc_type: str) -> list[str]:
    """The first lines of the message; after a pytest `assert` line only its `+ where` explanations."""
    kept: list[str] = []
    for raw in message.splitlines():
        if _NOISE.match(raw):
            break
        line = " ".join(raw.split())
        if exc_type and line.startswith(exc_type + ":"):
            line = line[len(exc_type) + 1 :].strip()
        if not line or (kept and kept[0].startswith("assert ") and not _EXPLANATION.match(line)):
            continue
        kept.append(line)
        if len(kept) == MAX_LINES:
            break
    return kept


def _mask_line(line: str, test_names: tuple[str, ...]) -> str:
    in_assertion = line.startswith(("assert ", "+ where ", "+ and "))
    line = _UUID.sub("<UUID>", line)
    line = _ADDR.sub("<ADDR>", line)
    line = _QUOTED.sub(lambda m: _mask_quoted(m, in_assertion), line)
    line = _PATH.sub("<PATH>", line)
    for name in test_names:
        line = line.replace(name, "<TEST>")
    line = _NUMBER.sub("<N>", line)
    line = _REPEAT.sub(r"\1, ...", line)
    if len(line) > MAX_LINE_CHARS:
        line = line[:MAX_LINE_CHARS] + "..."
    return line


def _mask_quoted(match: re.Match[str], in_assertion: bool) -> str:
    body = match.group("body")
    if not in_assertion and _IDENT.fullmatch(body):
        return match.group(0)
    return "<S>"


def _short_type(exc_type: str) -> str:
    return exc_type.strip().rsplit(".", 1)[-1]


def _test_names(test_id: str) -> tuple[str, ...]:
    """The failing test's file, function and parameter ids, longest first (so masks do not split each other)."""
    path, _, rest = test_id.partition("::")
    names = {path, PurePosixPath(path).name} if path.endswith(".py") else set()
    for part in rest.split("::"):
        func, _, params = part.partition("[")
        names.add(func)
        if params:
            names.add(params.rstrip("]"))
    return tuple(sorted((n for n in names if len(n) > 3), key=len, reverse=True))


def _code_frames(frames: list[Frame], test_names: tuple[str, ...]) -> list[Frame]:
    return [f for f in frames if f.in_project and not _is_test_frame(f) and f.function not in test_names]


def is_test_file(path: str) -> bool:
    """Whether `path` (relative to the project root) is test code by pytest's conventions."""
    p = PurePosixPath(path.replace("\\", "/"))
    return (
        p.name == "conftest.py"
        or p.name.startswith("test_")
        or p.stem.endswith("_test")
        or any(part in ("tests", "test", "testing") for part in p.parts[:-1])
    )


def _is_test_frame(frame: Frame) -> bool:
    return is_test_file(frame.file) or frame.function.startswith("test_")
