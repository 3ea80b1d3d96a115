"""How far each member has read."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from chat.events import conversation_group, send_after_commit
from chat.models import Conversation, ReadMark
from chat.services.refusals import ChatRefusal


def read_mark(*, conversation: Conversation, user: User, up_to) -> int:
    if isinstance(up_to, bool) or not isinstance(up_to, int) or up_to < 0:
        raise ChatRefusal("bad_frame", _("up_to must be a message id."))
    mark, _created = ReadMark.objects.get_or_create(conversation=conversation, user=user)
    if up_to > mark.up_to:  # read marks only move forward
        ReadMark.objects.filter(pk=mark.pk, up_to__lt=up_to).update(up_to=up_to, updated_at=timezone.now())
        send_after_commit(
            conversation_group(conversation.pk), {"type": "chat.read", "user_id": user.pk, "up_to": up_to}
        )
    return max(up_to, mark.up_to)
