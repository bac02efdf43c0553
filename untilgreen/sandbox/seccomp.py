"""A tiny seccomp filter that refuses network sockets (x86_64 only).

`socket()` fails with EPERM for every address family except AF_UNIX and AF_NETLINK (so AF_INET, AF_INET6,
AF_PACKET, AF_VSOCK... are refused); io_uring (which can create sockets without `socket()`), x32 syscalls
and foreign-architecture syscalls are refused too. Everything else is allowed.

Standard library only and no package-relative imports: the launcher imports this file by path before exec.
"""

from __future__ import annotations

import ctypes
import os
import platform

_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 22, 2
_AUDIT_ARCH_X86_64 = 0xC000003E
_X32_SYSCALL_BIT = 0x40000000
_NR_SOCKET, _NR_IO_URING_SETUP = 41, 425
_AF_UNIX, _AF_NETLINK = 1, 16

_LD_ABS, _JEQ, _JGE, _RET = (
    0x20,
    0x15,
    0x35,
    0x06,
)  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, ..JGE.., BPF_RET|BPF_K
_OFFSET_NR, _OFFSET_ARCH, _OFFSET_ARG0 = 0, 4, 16  # struct seccomp_data (little endian: low half of args[0])
_ALLOW = 0x7FFF0000
_DENY = 0x00050000 | 1  # SECCOMP_RET_ERRNO | EPERM


class _SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    ]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(_SockFilter))]


# (code, jump-if-true, jump-if-false, k); jumps count instructions to skip. Index 10 allows, 11 denies.
_PROGRAM = (
    (_LD_ABS, 0, 0, _OFFSET_ARCH),  # 0
    (_JEQ, 0, 9, _AUDIT_ARCH_X86_64),  # 1: foreign arch -> deny
    (_LD_ABS, 0, 0, _OFFSET_NR),  # 2
    (_JGE, 7, 0, _X32_SYSCALL_BIT),  # 3: x32 -> deny
    (_JEQ, 6, 0, _NR_IO_URING_SETUP),  # 4: io_uring -> deny
    (_JEQ, 1, 0, _NR_SOCKET),  # 5: socket -> check the family
    (_RET, 0, 0, _ALLOW),  # 6
    (_LD_ABS, 0, 0, _OFFSET_ARG0),  # 7
    (_JEQ, 1, 0, _AF_UNIX),  # 8 -> allow
    (_JEQ, 0, 1, _AF_NETLINK),  # 9 -> allow, else deny
    (_RET, 0, 0, _ALLOW),  # 10
    (_RET, 0, 0, _DENY),  # 11
)


def supported() -> bool:
    return platform.machine() in ("x86_64", "AMD64")


def refuse_network_sockets() -> None:
    """Install the filter on this process and its future children (needs no-new-privs or CAP_SYS_ADMIN)."""
    if not supported():
        raise OSError(0, f"the seccomp filter is written for x86_64, not {platform.machine()}")
    program = (_SockFilter * len(_PROGRAM))(*(_SockFilter(*ins) for ins in _PROGRAM))
    fprog = _SockFprog(len(_PROGRAM), program)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl(PR_SET_SECCOMP): {os.strerror(errno)}")
