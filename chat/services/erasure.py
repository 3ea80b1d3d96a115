"""What erasure removes from chat, and what safeguarding keeps for a while."""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from chat.models import Conversation, Message, MessageStatus, ReadMark, ReportStatus


def conversations_under_safeguarding(conversations):
    """Those with an open report or a message waiting for a coordinator: their messages are evidence."""
    return conversations.filter(
        models.Q(messages__reports__status=ReportStatus.OPEN) | models.Q(messages__status=MessageStatus.HELD)
    ).distinct()


@transaction.atomic
def chat_erase(user: User) -> None:
    """Erasure: the person's own messages go, except what safeguarding keeps (every message of a
    conversation under safeguarding, and any reported message) until SAFEGUARDING_RETENTION_DAYS after the
    erasure. The other person's messages always stay theirs; reports stay."""
    kept = conversations_under_safeguarding(Conversation.objects.all()).values("pk")
    (Message.objects.filter(sender=user).exclude(conversation__in=kept).exclude(reports__isnull=False).delete())
    ReadMark.objects.filter(user=user).delete()


def retained_evidence_purge(*, now=None) -> int:
    """Delete what erasure kept for safeguarding once its retention period is over (the messages and what
    refers to them, such as reports). Returns how many messages."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SAFEGUARDING_RETENTION_DAYS)
    _deleted, by_model = Message.objects.filter(sender__erased_at__lt=cutoff).delete()
    return by_model.get(Message._meta.label, 0)
