"""Volunteer profiles: what they offer, how many mentees they can take, and their vetting."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Role, Skill
from common.properties import RowProperty, today


class VettingStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


def vetted_q(on=None) -> Q:
    """Background check verified and not expired on the given date (today by default)."""
    return Q(vetting_status=VettingStatus.VERIFIED, vetting_expires_on__gte=on or today())


def vetting_is_current(status: str, expires_on: datetime.date | None) -> bool:
    """Background check verified and not expired today: `vetted_q` for one volunteer's values."""
    return status == VettingStatus.VERIFIED and expires_on is not None and expires_on >= today()


class VolunteerQuerySet(models.QuerySet):
    def visible_to(self, user) -> "VolunteerQuerySet":
        """The volunteer sees themself; a coordinator sees their organisation's volunteers."""
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.COORDINATOR:
            return self.filter(organisation_id=user.organisation_id)
        if user.role == Role.VOLUNTEER:
            return self.filter(user_id=user.pk)
        return self.none()

    def vetted(self, on=None) -> "VolunteerQuerySet":
        return self.filter(vetted_q(on))


class Volunteer(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer")
    # The user's, copied so a coordinator's list (and its count) reads one index, not a join over users.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    bio = models.TextField(_("about me"), max_length=2000, blank=True)
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), related_name="volunteers", blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=1,
        validators=[MaxValueValidator(10)],
        help_text=_("How many mentees at once; 0 pauses new matches."),
    )
    vetting_status = models.CharField(
        _("background check"), max_length=10, choices=VettingStatus.choices, default=VettingStatus.PENDING
    )
    vetting_checked_on = models.DateField(_("checked on"), null=True, blank=True)
    vetting_expires_on = models.DateField(_("valid until"), null=True, blank=True)
    vetting_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(vetting_status="verified")
                | (Q(vetting_checked_on__isnull=False) & Q(vetting_expires_on__isnull=False)),
                name="verified_vetting_has_dates",
            ),
            models.CheckConstraint(condition=Q(capacity__lte=10), name="volunteer_capacity_at_most_10"),
        ]
        indexes = [models.Index(fields=["organisation", "id"], name="volunteer_org")]

    def __str__(self) -> str:
        return str(self.user)

    # From its columns: lean lists read it from plain rows too (config.lean).
    is_vetted = RowProperty(vetting_is_current, "vetting_status", "vetting_expires_on")
