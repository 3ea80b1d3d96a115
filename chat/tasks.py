"""Periodic chat work."""

from celery import shared_task


@shared_task
def purge_retained_evidence() -> int:
    """Daily: delete messages that erasure kept for safeguarding, once the retention period is over."""
    from chat.services import retained_evidence_purge

    return retained_evidence_purge()
