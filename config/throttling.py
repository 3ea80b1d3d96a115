"""DRF throttles that identify anonymous callers by config.client_address, not DRF's NUM_PROXIES."""

from rest_framework import throttling

from config.client_address import client_address


class ClientAddressMixin:
    def get_ident(self, request) -> str:
        return client_address(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass
