"""The built-in offline repairer: spectrum-based localization and a fast, sandboxed mutation search."""

from __future__ import annotations

from untilgreen.models.builtin.priors import operator_of, prior_from_recollections
from untilgreen.models.builtin.repairer import BuiltinRepairer

__all__ = ["BuiltinRepairer", "operator_of", "prior_from_recollections"]
