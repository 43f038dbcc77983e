"""The cache in Redis, as a cache should be: when Redis cannot be reached, a read misses and a write is
dropped (and logged), so a page is drawn afresh and a change is saved, rather than either failing.

What is kept there (readers' dashboards drawn once per scope, an identity provider's discovery document,
the sign-in callback's count per address) can always be worked out again; while Redis is down a cached
dashboard may lag a change by at most its keeping time (apps/core/contributions.py).
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _forgiving(default):
    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                logger.warning("The cache (Redis) cannot be reached: %s %s", method.__name__, error)
                return default() if callable(default) else default

        return call

    return wrap


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        # A page must not wait long on a cache that is down.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)

    get = _forgiving(None)(RedisCache.get)
    get_many = _forgiving(dict)(RedisCache.get_many)
    has_key = _forgiving(False)(RedisCache.has_key)
    set = _forgiving(None)(RedisCache.set)
    set_many = _forgiving(list)(RedisCache.set_many)
    add = _forgiving(False)(RedisCache.add)
    touch = _forgiving(False)(RedisCache.touch)
    delete = _forgiving(False)(RedisCache.delete)
    delete_many = _forgiving(None)(RedisCache.delete_many)
    clear = _forgiving(False)(RedisCache.clear)
    # A count that cannot be kept counts as the first: a rate limit lets the request through.
    incr = _forgiving(1)(RedisCache.incr)
