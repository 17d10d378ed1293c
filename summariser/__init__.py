"""article-digest's NLP side: text, HTML or a URL in, a Digest out. No Discord in here.

The values (``summariser.models``) and errors import in milliseconds; ``Digester`` and the
settings load the pipeline (trafilatura, httpx, numpy) only when first asked for, so a module
that only reads a ``Digest`` (the bot's renderer) does not pay for them.
"""

from __future__ import annotations

import importlib
import logging
import os
from typing import TYPE_CHECKING, Any

# OpenMP threads (torch, used by the optional torch backend and the abstractive methods) spin
# while they wait unless told otherwise, stealing the core other work needs; the setting only
# counts if it is made before torch first loads, which is why it is made here.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from summariser.errors import DigestError  # noqa: E402
from summariser.models import Article, Digest, Headline, Quote  # noqa: E402

if TYPE_CHECKING:
    from summariser.config import SummariserSettings
    from summariser.digest import Digester

logging.getLogger(__name__).addHandler(logging.NullHandler())

_LAZY = {"Digester": "summariser.digest", "SummariserSettings": "summariser.config"}

__all__ = [
    "Article",
    "Digest",
    "DigestError",
    "Digester",
    "Headline",
    "Quote",
    "SummariserSettings",
]


def __getattr__(name: str) -> Any:
    """``Digester`` and ``SummariserSettings``, imported on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
