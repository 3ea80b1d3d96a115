"""DRF throttles that identify anonymous callers by config.client_address, not DRF's NUM_PROXIES, and count
requests in one cache counter per caller and window.

DRF's own throttles keep the time of every request of the last window in a list, which each request reads
from the cache, unpickles, appends to, pickles and writes back: two Redis round trips and a list of up to
`rate` floats on every API call, and concurrent requests of one caller overwrite each other's entries. Here
each request is one atomic increment (`config.cache.count_up`, one round trip on Redis). The windows are
fixed (a minute starting on the minute, for a rate per minute): a caller may at most reach twice the rate
across a window's boundary, which is fine for limits meant to stop floods, not to meter.
"""

import math

from rest_framework import throttling

from config.cache import count_up
from config.client_address import client_address


class ClientAddressMixin:
    def get_ident(self, request) -> str:
        return client_address(request)


class WindowCountThrottle(throttling.SimpleRateThrottle):
    """SimpleRateThrottle counted per fixed window; the subclass says whom (get_cache_key)."""

    retry_after: float | None = None

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        window = math.floor(now / self.duration)
        self.retry_after = (window + 1) * self.duration - now
        return count_up(f"{key}:{window}", self.duration) <= self.num_requests

    def wait(self) -> float:
        return self.retry_after


class AnonRateThrottle(ClientAddressMixin, WindowCountThrottle, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, WindowCountThrottle, throttling.UserRateThrottle):
    pass
