"""Milestone awarding, after the commit of what caused it, so the request pays no more than scheduling
the task; and the daily sweep for milestones that only time reaches."""

from celery import shared_task


@shared_task
def milestones_after_session(session_id: int) -> int:
    """A session was marked held (or re-marked missed): recount both people's milestones."""
    from badges import services

    return sum(
        len(services.milestones_check(user_id=user_id)) for user_id in services.pair_user_ids(session_id=session_id)
    )


@shared_task
def milestones_after_pairing(pairing_id: int) -> int:
    """A pairing was completed (and maybe its help request solved): recount both people's milestones."""
    from badges import services

    return sum(
        len(services.milestones_check(user_id=user_id)) for user_id in services.pair_user_ids(pairing_id=pairing_id)
    )


@shared_task
def milestones_for_user(user_id: int) -> int:
    from badges import services

    return len(services.milestones_check(user_id=user_id))


@shared_task
def three_months_sweep() -> int:
    """Daily: "three months of mentoring" needs only time to pass, so no event announces it."""
    from badges import services

    return services.three_months_sweep()
