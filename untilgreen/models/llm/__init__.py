"""The LLM repairer: prompts, edit formats and their application, and the litellm call.

Importing this package does not import litellm (a slow import that may reach the network): the repairer imports
it on its first call.
"""

from __future__ import annotations

from untilgreen.models.llm.apply import ApplyResult, apply_edits

__all__ = ["ApplyResult", "apply_edits"]
