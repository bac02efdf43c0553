"""Landlock confinement through raw syscalls (no library needed).

Write-like rights and reading are "handled": creating, changing or deleting files is allowed only beneath the
given writable directories, reading only beneath those and the given readable paths. Execution is not handled
(running a binary does not reveal its contents). Works for root too.

Standard library only and no package-relative imports: the launcher imports this file by path before exec.
"""

from __future__ import annotations

import ctypes
import os
import stat
from collections.abc import Sequence

# The same numbers on every architecture that has Landlock (they come after the unified syscall table).
_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

_WRITE_FILE = 1 << 1
_READ_FILE, _READ_DIR = 1 << 2, 1 << 3
_WRITE_ACCESS_V1 = (
    _WRITE_FILE
    | (1 << 4)  # REMOVE_DIR
    | (1 << 5)  # REMOVE_FILE
    | (1 << 6)  # MAKE_CHAR
    | (1 << 7)  # MAKE_DIR
    | (1 << 8)  # MAKE_REG
    | (1 << 9)  # MAKE_SOCK
    | (1 << 10)  # MAKE_FIFO
    | (1 << 11)  # MAKE_BLOCK
    | (1 << 12)  # MAKE_SYM
)
_REFER = 1 << 13  # ABI 2: rename/link across directories
_TRUNCATE = 1 << 14  # ABI 3
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1  # ABI 6

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _check(result: int, what: str) -> int:
    if result < 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")
    return result


def abi_version() -> int:
    """The kernel's Landlock ABI version, 0 when Landlock is missing or disabled."""
    result = _libc.syscall(
        ctypes.c_long(_SYS_CREATE_RULESET), None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION)
    )
    return max(int(result), 0)


def set_no_new_privs() -> None:
    _check(_libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")


def restrict(writable: Sequence[str], readable: Sequence[str] = ()) -> int:
    """Confine this process and its future children: writes only beneath (or to) the `writable` paths, reads
    only there and beneath `readable` (paths that do not exist are skipped).

    Also scopes signals and abstract unix sockets to the sandbox when the kernel supports it (ABI 6).
    Needs no-new-privs (see `set_no_new_privs`). Returns the ABI version used.
    """
    abi = abi_version()
    if abi < 1:
        raise OSError(0, "Landlock is not available in this kernel")
    write_access = _WRITE_ACCESS_V1 | (_REFER if abi >= 2 else 0) | (_TRUNCATE if abi >= 3 else 0)
    attr = _RulesetAttr(handled_access_fs=write_access | _READ_FILE | _READ_DIR)
    size = 8  # ABI 1-3 know only handled_access_fs
    if abi >= 6:
        attr.scoped, size = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL, ctypes.sizeof(_RulesetAttr)
    ruleset = _check(
        _libc.syscall(
            ctypes.c_long(_SYS_CREATE_RULESET), ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0)
        ),
        "landlock_create_ruleset",
    )
    try:
        read_access = _READ_FILE | _READ_DIR
        for paths, access in ((writable, write_access | read_access), (readable, read_access)):
            for path in paths:
                _allow(ruleset, path, access)
        set_no_new_privs()
        _check(
            _libc.syscall(ctypes.c_long(_SYS_RESTRICT_SELF), ctypes.c_int(ruleset), ctypes.c_uint32(0)),
            "landlock_restrict_self",
        )
    finally:
        os.close(ruleset)
    return abi


def _allow(ruleset: int, path: str, access: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):  # a rule on a file may carry only the rights files have
            access &= _WRITE_FILE | _READ_FILE | _TRUNCATE
        rule = _PathBeneathAttr(allowed_access=access, parent_fd=fd)
        _check(
            _libc.syscall(
                ctypes.c_long(_SYS_ADD_RULE),
                ctypes.c_int(ruleset),
                ctypes.c_int(_RULE_PATH_BENEATH),
                ctypes.byref(rule),
                ctypes.c_uint32(0),
            ),
            f"landlock_add_rule({path})",
        )
    finally:
        os.close(fd)
