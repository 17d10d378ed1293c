"""article-digest's NLP side: text, HTML or a URL in, a Digest out. No Discord in here."""

import logging

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
