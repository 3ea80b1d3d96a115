"""What badges do when scheduling and volunteers tell what happened (connected in BadgesConfig.ready).

Each handler only schedules a task after the commit, with ids it already has: no query is added to the
request that sent the event; the counting and awarding happen in the task. `robust`: where tasks run
eagerly (development, no broker), a failure while awarding is logged and never turns the session or the
pairing that was just saved into an error answer."""

from django.db import transaction

from badges import tasks


def on_session_marked(*, session, held: bool) -> None:
    session_id = session.pk
    transaction.on_commit(lambda: tasks.milestones_after_session.delay(session_id), robust=True)


def on_pairing_completed(*, pairing) -> None:
    pairing_id = pairing.pk
    transaction.on_commit(lambda: tasks.milestones_after_pairing.delay(pairing_id), robust=True)


def on_help_request_solved(*, help_request_id: int, pairing) -> None:
    # PAIRING_COMPLETED follows in the same transaction and recounts the same pair; the duplicate task is
    # harmless (the recount awards nothing twice) and keeps this handler correct on its own.
    pairing_id = pairing.pk
    transaction.on_commit(lambda: tasks.milestones_after_pairing.delay(pairing_id), robust=True)


def on_volunteer_joined(*, volunteer) -> None:
    user_id = volunteer.user_id
    transaction.on_commit(lambda: tasks.milestones_for_user.delay(user_id), robust=True)
