"""The LLM repairer: prompts, edit formats and their application, and the litellm call.

Importing this package does not import litellm (a slow import that may reach the network): the repairer imports
it on its first call.
"""

from __future__ import annotations

from untilgreen.models.llm.apply import ApplyResult, apply_edits
from untilgreen.models.llm.edit_formats import Parsed, parse_reply, resolve_format
from untilgreen.models.llm.prompt import prompt_text, render_prompt
from untilgreen.models.llm.repairer import LLMRepairer

__all__ = [
    "ApplyResult",
    "LLMRepairer",
    "Parsed",
    "apply_edits",
    "parse_reply",
    "prompt_text",
    "render_prompt",
    "resolve_format",
]
