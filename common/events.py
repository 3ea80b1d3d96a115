"""The one way apps tell higher apps what happened.

A service sends an `Event` with keyword arguments; listeners are connected in the listening app's
`AppConfig.ready()` with `connect(Event.X, handler)`. Lower apps never import higher ones, so this is how
scheduling hears of vetting and consent, chat of pairings and access, and badges of sessions held.
Listeners run synchronously inside the sender's transaction; what must wait for the commit uses
`transaction.on_commit` itself.
"""

import enum
from collections.abc import Callable
from typing import Any

from django.dispatch import Signal


class Event(enum.Enum):
    # accounts: the user's sessions, tokens and sockets end (log-out, password change, deactivation, erasure)
    ACCESS_ENDED = "access_ended"  # user
    # accounts: one API token was revoked; sockets opened with it close
    TOKEN_REVOKED = "token_revoked"  # user, key
    # volunteers: someone became a volunteer (a new sign-up, or a former mentee who now mentors others)
    VOLUNTEER_JOINED = "volunteer_joined"  # volunteer
    # volunteers: a background check was recorded, rejected or lapsed
    VETTING_CHANGED = "vetting_changed"  # volunteer
    # mentees: a guardian's consent was recorded or withdrawn
    CONSENT_CHANGED = "consent_changed"  # mentee, by
    # scheduling: a help request was closed by the completed mentoring that answered it
    HELP_REQUEST_SOLVED = "help_request_solved"  # help_request_id, pairing
    # scheduling: a pairing changed state
    PAIRING_CHANGED = "pairing_changed"  # pairing, change (PairingChange)
    # scheduling: a pairing ended as completed
    PAIRING_COMPLETED = "pairing_completed"  # pairing
    # scheduling: a mentoring session was marked held (or a held one re-marked missed: held=False)
    SESSION_MARKED = "session_marked"  # session, held


class PairingChange(enum.Enum):
    APPROVED = "approved"
    SUSPENDED = "suspended"
    RESUMED = "resumed"
    ENDED = "ended"


_signals: dict[Event, Signal] = {event: Signal() for event in Event}


def connect(event: Event, handler: Callable[..., Any]) -> None:
    """Call `handler(**payload)` whenever `event` is sent. Connecting twice has no effect."""
    _signals[event].connect(_adapt(handler), dispatch_uid=(event, handler), weak=False)


def send(event: Event, **payload: Any) -> None:
    _signals[event].send(sender=event, **payload)


def _adapt(handler: Callable[..., Any]) -> Callable[..., Any]:
    def receiver(sender: Event, signal: Signal, **payload: Any) -> Any:
        return handler(**payload)

    return receiver
