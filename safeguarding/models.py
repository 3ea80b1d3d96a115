"""The safeguarding log: every safeguarding decision, append-only, in one place.

The lowest app but `common`: every app writes to it (accounts included), so it imports none of them.

Rows are never updated or deleted by the application: the model and its queryset refuse it, the admin is
read-only, and on PostgreSQL a trigger refuses UPDATE and DELETE from any client (on SQLite, UPDATE). People
are referred to by id without a database constraint, so erasing or pseudonymising a person never touches
the rows about them: they then read as the pseudonymised account.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VETTING_RECORDED = "vetting_recorded", _("Background check recorded")
    VETTING_REJECTED = "vetting_rejected", _("Background check rejected")
    VETTING_EXPIRED = "vetting_expired", _("Background check expired")
    CONSENT_RECORDED = "consent_recorded", _("Guardian consent recorded")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Guardian consent withdrawn")
    PAIRING_PROPOSED = "pairing_proposed", _("Pairing proposed")
    PAIRING_APPROVED = "pairing_approved", _("Pairing approved")
    PAIRING_REJECTED = "pairing_rejected", _("Pairing rejected")
    PAIRING_SUSPENDED = "pairing_suspended", _("Pairing suspended")
    PAIRING_RESUMED = "pairing_resumed", _("Pairing resumed")
    PAIRING_ENDED = "pairing_ended", _("Pairing ended")
    MESSAGE_HELD = "message_held", _("Message held")
    MESSAGE_RELEASED = "message_released", _("Held message released")
    MESSAGE_REJECTED = "message_rejected", _("Held message rejected")
    REPORT_FILED = "report_filed", _("Message reported")
    REPORT_CLOSED = "report_closed", _("Report closed")
    CONVERSATION_PAUSED = "conversation_paused", _("Conversation paused")
    CONVERSATION_RESUMED = "conversation_resumed", _("Conversation resumed")
    CONVERSATION_READ = "conversation_read", _("Coordinator read a conversation")
    ACCOUNT_ERASED = "account_erased", _("Account erased")


class AppendOnly(Exception):
    pass


class EntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EntryQuerySet":
        if user.is_authenticated and user.is_coordinator:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()

    def update(self, **kwargs):
        raise AppendOnly("the safeguarding log is append-only")

    def delete(self):
        raise AppendOnly("the safeguarding log is append-only")


class Entry(models.Model):
    """One safeguarding decision: who did what to whom, when and why."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", null=True
    )
    action = models.CharField(_("what"), max_length=32, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("who"),
        help_text=_("Empty when the system decided (an expiry sweep, a match run)."),
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("about whom"),
    )
    object_type = models.CharField(_("object type"), max_length=32, blank=True)
    object_id = models.BigIntegerField(_("object id"), null=True)
    reason = models.CharField(_("why"), max_length=500, blank=True)
    # Ids and states only: never a message body or anything a person wrote beyond the reason.
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("safeguarding log entry")
        verbose_name_plural = _("safeguarding log")
        indexes = [models.Index(fields=["organisation", "-at", "-id"], name="safeguarding_org_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("the safeguarding log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("the safeguarding log is append-only")
