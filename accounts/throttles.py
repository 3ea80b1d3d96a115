from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from config.throttling import ClientAddressMixin


class SignupThrottle(ClientAddressMixin, SimpleRateThrottle):
    """Sign-ups per client address; the count lives in the cache (Redis when configured)."""

    scope = "signup"

    def get_rate(self):
        # Read at call time, so a changed setting (tests, reload) takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
