"""The client's IP address: the one place that reads it (log-in limits, throttles, anything else).

Behind a reverse proxy every request comes from the proxy's address. X-Forwarded-For is believed only
when the request comes from a proxy listed in the TRUSTED_PROXIES setting (addresses or CIDR networks),
and then the right-most address in it that is not itself a trusted proxy is the client: everything to
its left was written by the client and may be forged. Without trusted proxies (the default) the header
is ignored and REMOTE_ADDR is the client.
"""

import ipaddress
from collections.abc import Iterable, Mapping
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str], setting: str = "TRUSTED_PROXIES") -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{setting} must list IP addresses or CIDR networks: {exc}") from exc


@lru_cache(maxsize=4)
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values)


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(ip, networks: tuple[Network, ...]) -> bool:
    return ip is not None and any(ip.version == net.version and ip in net for net in networks)


def client_address_from(meta: Mapping[str, str]) -> str:
    """The client's address from a request's META (or a WSGI-like mapping)."""
    remote = meta.get("REMOTE_ADDR", "") or ""
    networks = _trusted(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not _is_trusted(_ip(remote), networks):
        return remote
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        ip = _ip(hop)
        if ip is None:
            # Not an address: our proxy did not write it, so it cannot be believed; count the proxy.
            return remote
        if not _is_trusted(ip, networks):
            return str(ip)
    # Every hop is a trusted proxy: the left-most one is where the request entered.
    return str(_ip(hops[0])) if hops else remote


def client_address(request) -> str:
    """The client's address of a Django or DRF request."""
    return client_address_from(request.META)
