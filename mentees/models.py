"""Mentee profiles (minimal data), guardian consent for minors, and help requests.

Deliberately absent, and never to be added: nationality, religion, ethnicity, legal or residence
status, health, exact address, document scans (a test fails if any model gains such a field).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Language, Organisation, Role, Skill
from common.properties import RowProperty
from common.properties import today as current_date

ADULT_AGE = 18


def minor_birth_year_floor(today=None) -> int:
    """Birth years >= this may still be under 18 today.

    Only the birth year is held, so someone born in (this year - 18) may not have had their
    birthday yet: they are treated as a minor until the year ends. Safeguarding errs that way.
    """
    year = (today or current_date()).year
    return year - ADULT_AGE


def born_a_minor(birth_year: int) -> bool:
    """Possibly under 18 today (see minor_birth_year_floor)."""
    return birth_year >= minor_birth_year_floor()


def consent_is_recorded(consent_recorded_at: datetime.datetime | None) -> bool:
    return consent_recorded_at is not None


def may_be_matched(user_is_active: bool, birth_year: int, consent_recorded_at: datetime.datetime | None) -> bool:
    """A minor stays inactive (cannot be matched) until a guardian's consent is recorded."""
    return user_is_active and (not born_a_minor(birth_year) or consent_is_recorded(consent_recorded_at))


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "signed_form", _("Signed form")
    IN_PERSON = "in_person", _("In person, witnessed")
    EMAIL = "email", _("E-mail from the guardian")
    PHONE = "phone", _("Phone call with the guardian")


class MenteeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MenteeQuerySet":
        """The mentee sees themself; a coordinator sees their organisation's mentees."""
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.COORDINATOR:
            return self.filter(organisation_id=user.organisation_id)
        if user.role == Role.MENTEE:
            return self.filter(user_id=user.pk)
        return self.none()

    def minors(self) -> "MenteeQuerySet":
        return self.filter(birth_year__gte=minor_birth_year_floor())

    def adults(self) -> "MenteeQuerySet":
        return self.filter(birth_year__lt=minor_birth_year_floor())

    def active(self) -> "MenteeQuerySet":
        """Adults, and minors whose guardian's consent is recorded."""
        return self.filter(
            Q(birth_year__lt=minor_birth_year_floor()) | Q(consent_recorded_at__isnull=False),
            user__is_active=True,
        )


class Mentee(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentee")
    # The user's, copied so a coordinator's list (and its count) reads one index, not a join over users.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    # Guardian consent for minors: who gave it, when, how, and which coordinator recorded it.
    consent_guardian_name = models.CharField(_("guardian's name"), max_length=120, blank=True)
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_method = models.CharField(
        _("how consent was given"), max_length=20, choices=ConsentMethod.choices, blank=True
    )
    consent_recorded_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MenteeQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("mentee")
        verbose_name_plural = _("mentees")
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_recorded_at__isnull=True)
                | (~Q(consent_guardian_name="") & Q(consent_given_on__isnull=False) & ~Q(consent_method="")),
                name="recorded_consent_is_complete",
            )
        ]
        indexes = [models.Index(fields=["organisation", "id"], name="mentee_org")]

    def __str__(self) -> str:
        return str(self.user)

    # From their columns: lean lists read them from plain rows too (config.lean).
    is_minor = RowProperty(born_a_minor, "birth_year")
    has_consent = RowProperty(consent_is_recorded, "consent_recorded_at")
    is_active = RowProperty(may_be_matched, "user__is_active", "birth_year", "consent_recorded_at")


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class HelpRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", _("Closed")


class HelpRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "HelpRequestQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.COORDINATOR:
            return self.filter(organisation_id=user.organisation_id)
        if user.role == Role.MENTEE:
            return self.filter(mentee__user_id=user.pk)
        return self.none()


class HelpRequest(models.Model):
    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="help_requests")
    # The mentee's, copied so a coordinator's list reads one index in order instead of joining every mentee.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    needs = models.ManyToManyField(Skill, verbose_name=_("what I need help with"), related_name="+")
    languages = models.ManyToManyField(Language, verbose_name=_("preferred languages"), related_name="+", blank=True)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(
        _("status"), max_length=10, choices=HelpRequestStatus.choices, default=HelpRequestStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        indexes = [
            models.Index(fields=["status", "urgency"]),
            models.Index(
                "organisation", models.F("created_at").desc(), models.F("id").desc(), name="helprequest_org_newest"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.status})"
