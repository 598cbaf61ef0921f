"""A cache that keeps working while Redis is away: this process's memory stands in.

Throttling (the API's request budget) and the candidate pages' rate limits count in the cache.
When Redis cannot be reached they count in the memory of each process instead (per process, so a
little more lenient, never failing a request), and Redis is tried again after a pause. The log
line says that it happened, never which keys (they may be derived from addresses).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 10.0

_lock = threading.Lock()
_down_until: dict[str, float] = {}


def _failover(name: str) -> Any:
    def method(self: FailoverRedisCache, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= _down_until.get(self._location, 0.0):
            try:
                return getattr(RedisCache, name)(self, *args, **kwargs)
            except (RedisError, OSError) as error:
                with _lock:
                    _down_until[self._location] = time.monotonic() + PAUSE_SECONDS
                logger.warning(
                    "cache unavailable; counting in this process's memory",
                    extra={"operation": name, "error": type(error).__name__, "retry_in_s": PAUSE_SECONDS},
                )
        return getattr(self._local, name)(*args, **kwargs)

    method.__name__ = name
    return method


class FailoverRedisCache(RedisCache):
    """Django's Redis cache, answered from local memory while Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._location = server
        local_params = {key: value for key, value in params.items() if key != "OPTIONS"}
        self._local = LocMemCache(f"failover:{server}", local_params)

    add = _failover("add")
    get = _failover("get")
    set = _failover("set")
    touch = _failover("touch")
    delete = _failover("delete")
    get_many = _failover("get_many")
    has_key = _failover("has_key")
    incr = _failover("incr")
    set_many = _failover("set_many")
    delete_many = _failover("delete_many")
    clear = _failover("clear")


def failover_reset() -> None:
    """Try Redis again at the next call (tests, and an operator who knows it is back)."""
    with _lock:
        _down_until.clear()
