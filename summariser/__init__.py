"""article-digest's NLP side: text, HTML or a URL in, a Digest out. No Discord in here."""

import logging
import os

# OpenMP threads (torch, used by the optional torch backend and the abstractive methods) spin
# while they wait unless told otherwise, stealing the core other work needs; the setting only
# counts if it is made before torch first loads, which is why it is made here.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from summariser.config import SummariserSettings
from summariser.digest import Digester
from summariser.errors import DigestError
from summariser.models import Article, Digest, Headline, Quote

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Article",
    "Digest",
    "DigestError",
    "Digester",
    "Headline",
    "Quote",
    "SummariserSettings",
]
