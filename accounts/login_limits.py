"""Failed log-in limits, shared by every way in (API session and token log-in, the admin, any Django
LoginView): accounts.backends.LimitedModelBackend consults them on every authenticate().

Three counters, each over a window of LOGIN_WINDOW_SECONDS (15 minutes), in the cache (Redis when
configured):

- per account and address pair: PAIR_FAILURES (5) failures refuse that pair for the rest of the window.
  Someone guessing from one address is stopped; the owner elsewhere, and everyone else behind the same
  address, are not.
- per address: ADDRESS_ACCOUNTS (100) different accounts failed from one address refuse the address.
  High enough for a shelter or an NGO office behind one address; it only catches spraying across
  many accounts. A person retrying their own account counts once.
- per account, from every address: from ACCOUNT_SLOWDOWN_AFTER (10) failures on, an address that has
  failed for the account must wait before trying again: 2 s, doubling with each further failure, at
  most ACCOUNT_MAX_DELAY_SECONDS (60). This only slows down: an address that has not failed for the
  account (the owner elsewhere, with the right password) is never held back by it.

The account part of each key is a keyed hash (HMAC with SECRET_KEY) of the e-mail address, so no address
sits in the cache and nobody without the key can test which accounts are being attacked.
"""

import dataclasses
import math
import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac

LOGIN_WINDOW_SECONDS = 15 * 60
PAIR_FAILURES = 5
ADDRESS_ACCOUNTS = 100
ACCOUNT_SLOWDOWN_AFTER = 10
ACCOUNT_MAX_DELAY_SECONDS = 60

_SALT = "accounts.login_limits"


@dataclasses.dataclass(frozen=True)
class Refusal:
    """The attempt is refused without looking at the password; try again after retry_after seconds."""

    retry_after: int


def _account(email: str) -> str:
    return salted_hmac(_SALT, (email or "").strip().lower(), algorithm="sha256").hexdigest()[:40]


def _keys(email: str, address: str) -> dict[str, str]:
    account = _account(email)
    return {
        "pair": f"login-fail:pair:{account}:{address}",
        "pair_last": f"login-fail:pair-last:{account}:{address}",
        "account": f"login-fail:account:{account}",
        "address": f"login-fail:address:{address}",
    }


def account_delay(failures: int) -> int:
    """Seconds an address that failed for the account waits between attempts, after `failures` in all."""
    if failures < ACCOUNT_SLOWDOWN_AFTER:
        return 0
    return min(2 ** (failures - ACCOUNT_SLOWDOWN_AFTER + 1), ACCOUNT_MAX_DELAY_SECONDS)


def check(*, email: str, address: str) -> Refusal | None:
    keys = _keys(email, address)
    values = cache.get_many(list(keys.values()))
    pair = values.get(keys["pair"], 0)
    if pair >= PAIR_FAILURES:
        return Refusal(LOGIN_WINDOW_SECONDS)
    if values.get(keys["address"], 0) >= ADDRESS_ACCOUNTS:
        return Refusal(LOGIN_WINDOW_SECONDS)
    delay = account_delay(values.get(keys["account"], 0))
    last = values.get(keys["pair_last"])
    if pair and delay and last is not None:
        wait = last + delay - time.time()
        if wait > 0:
            return Refusal(max(1, math.ceil(wait)))
    return None


def _count(key: str) -> int:
    # add() starts the window; incr() keeps its expiry.
    if cache.add(key, 1, LOGIN_WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, LOGIN_WINDOW_SECONDS)
        return 1


def failure_record(*, email: str, address: str) -> None:
    keys = _keys(email, address)
    if _count(keys["pair"]) == 1:
        _count(keys["address"])  # one more account failed from this address
    _count(keys["account"])
    cache.set(keys["pair_last"], time.time(), LOGIN_WINDOW_SECONDS)


def success_record(*, email: str, address: str) -> None:
    """The right password from this address: its own mistakes are forgiven (not the account's)."""
    keys = _keys(email, address)
    cache.delete_many([keys["pair"], keys["pair_last"]])
