"""Where the bot keeps what outlives a request: one contract, its backends side by side.

``contract.py`` holds the contract: the protocols the rest of the bot is written against
(``Switches``, ``DigestCache``, ``History``, ``FeedStore``), what every backend promises, and
the bounds they share. The backends:

* ``sqlite.py``: one process (``python -m bot``): switches, history and feeds in one SQLite
  file; ``memory.py``: its digest cache, in memory.
* ``redis.py``: scaled mode (``REDIS_URL``): everything in Redis, shared by gateways and
  workers.

``tests/bot/test_storage.py`` runs one suite against both, so they cannot drift apart.
"""

from bot.models import PUBLIC
from bot.storage.contract import (
    FEED_ITEMS_KEPT,
    HISTORY_LIMIT,
    DigestCache,
    FeedLimitReached,
    FeedStore,
    History,
    StoreUnavailable,
    Switches,
    for_cache,
)

__all__ = ["FEED_ITEMS_KEPT", "HISTORY_LIMIT", "PUBLIC", "DigestCache", "FeedLimitReached",
           "FeedStore", "History", "StoreUnavailable", "Switches", "for_cache"]
