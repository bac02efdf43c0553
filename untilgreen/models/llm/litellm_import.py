"""litellm, imported on first use: it takes seconds to import, so it stays off every startup path."""

from __future__ import annotations

import logging
import os
from typing import Any

_QUIET_LOGGERS = ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy", "litellm", "httpx", "httpcore", "openai")


def litellm_module() -> Any:
    """litellm, imported quietly on first use, with its bundled price list (it would fetch one at import)."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    litellm.suppress_debug_info = True
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return litellm
