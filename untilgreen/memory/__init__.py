"""Error signatures, the run and fix-card store, embedders and recall. Knows nothing of LSP or LLM code."""

from __future__ import annotations

from untilgreen.memory.project import project_key
from untilgreen.memory.recall import known_fix
from untilgreen.memory.records import AttemptRecord, FixCard, Recollection, RunDetail, RunRecord, RunSummary
from untilgreen.memory.redact import redact
from untilgreen.memory.signature import Signature, signature
from untilgreen.memory.store import Store, default_path, project_path

__all__ = [
    "AttemptRecord",
    "FixCard",
    "Recollection",
    "RunDetail",
    "RunRecord",
    "RunSummary",
    "Signature",
    "Store",
    "default_path",
    "known_fix",
    "project_key",
    "project_path",
    "redact",
    "signature",
]
