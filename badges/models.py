"""Badge classes, awards, nominations and the issuer keys that sign them.

A badge class belongs to one organisation. Milestone classes (`milestone` set) are awarded automatically
from the scheduling events and take their texts from the translation catalogue; the others ("agent of
change", with a `contribution`) are awarded when a coordinator approves a nomination. An award names its
holder in credentials only by a salted hash; the issuer's private key never leaves this table and is shown
nowhere (not in `repr`, the admin, exports or API answers).
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from accounts.models import Organisation, Role
from mentees.models import Mentee


class Milestone(models.TextChoices):
    # mentees
    FIRST_SESSION = "first_session", _("First session held")
    FIVE_SESSIONS = "five_sessions", _("Five sessions held")
    THREE_MONTHS = "three_months", _("Three months of mentoring")
    FIRST_HELP_REQUEST_SOLVED = "first_help_request_solved", _("First goal reached")
    PAIRING_COMPLETED = "pairing_completed", _("Mentoring completed")
    # volunteers
    HOURS_10 = "hours_10", _("10 hours mentored")
    HOURS_50 = "hours_50", _("50 hours mentored")
    HOURS_100 = "hours_100", _("100 hours mentored")
    PEOPLE_1 = "people_1", _("First person mentored")
    PEOPLE_5 = "people_5", _("5 people mentored")
    PEOPLE_10 = "people_10", _("10 people mentored")
    # a former mentee who became a volunteer
    PEER_MENTOR = "peer_mentor", _("Peer mentor")


class Contribution(models.TextChoices):
    """What an "agent of change" did for others: the category of a nomination and of its badge class."""

    HELPED_PEER = "helped_peer", _("Helped a peer")
    LED_ACTIVITY = "led_activity", _("Led a community activity")
    TRANSLATED = "translated", _("Translated for newcomers")
    SPOKE_AT_EVENT = "spoke_at_event", _("Spoke at an event")
    OTHER = "other", _("Other contribution")


# The texts of milestone badges, in skills and contributions: nothing says who the holder is (no refugee,
# migrant or minor status). English msgids, translated when shown or issued.
MILESTONE_TEXTS: dict[str, tuple[str, str, str]] = {
    # key: (description, criteria, colour)
    Milestone.FIRST_SESSION: (
        _("Took part in a first one-to-one mentoring session."),
        _("Awarded when a first mentoring session is marked as held."),
        "#2a7ab0",
    ),
    Milestone.FIVE_SESSIONS: (
        _("Kept up a mentoring relationship over five sessions."),
        _("Awarded when five mentoring sessions are marked as held."),
        "#1f8a70",
    ),
    Milestone.THREE_MONTHS: (
        _("Stayed committed to learning with a mentor for three months."),
        _("Awarded three months after the first session held, while the mentoring goes on."),
        "#6a4c93",
    ),
    Milestone.FIRST_HELP_REQUEST_SOLVED: (
        _("Set a goal, worked on it with a mentor and reached it."),
        _("Awarded when a mentoring that answered the holder's request is completed."),
        "#c05621",
    ),
    Milestone.PAIRING_COMPLETED: (
        _("Completed a mentoring programme from start to finish."),
        _("Awarded when a mentoring is completed."),
        "#2f855a",
    ),
    Milestone.HOURS_10: (
        _("Gave 10 hours of one-to-one mentoring."),
        _("Awarded when the holder's held mentoring sessions add up to 10 hours."),
        "#3182ce",
    ),
    Milestone.HOURS_50: (
        _("Gave 50 hours of one-to-one mentoring."),
        _("Awarded when the holder's held mentoring sessions add up to 50 hours."),
        "#2b6cb0",
    ),
    Milestone.HOURS_100: (
        _("Gave 100 hours of one-to-one mentoring."),
        _("Awarded when the holder's held mentoring sessions add up to 100 hours."),
        "#2c5282",
    ),
    Milestone.PEOPLE_1: (
        _("Mentored a first person."),
        _("Awarded when the holder has held a session with one mentee."),
        "#d69e2e",
    ),
    Milestone.PEOPLE_5: (
        _("Mentored five people."),
        _("Awarded when the holder has held sessions with five different mentees."),
        "#b7791f",
    ),
    Milestone.PEOPLE_10: (
        _("Mentored ten people."),
        _("Awarded when the holder has held sessions with ten different mentees."),
        "#975a16",
    ),
    Milestone.PEER_MENTOR: (
        _("Passes on what they learned by mentoring others."),
        _("Awarded when someone who was mentored signs up to mentor others."),
        "#b83280",
    ),
}

CONTRIBUTION_COLOUR = "#c53030"

VOLUNTEER_MILESTONES = frozenset(
    {
        Milestone.HOURS_10,
        Milestone.HOURS_50,
        Milestone.HOURS_100,
        Milestone.PEOPLE_1,
        Milestone.PEOPLE_5,
        Milestone.PEOPLE_10,
        Milestone.PEER_MENTOR,
    }
)


# A badge class's texts from its columns, for its properties and for list pages that read rows
# (frontend/rows.py): a coordinator's texts as written; a milestone's from the catalogue, in the reader's language.
def badge_name(name: str, milestone: str | None) -> str:
    if name or not milestone:
        return name
    return str(Milestone(milestone).label)


def badge_description(description: str, milestone: str | None) -> str:
    if description or not milestone:
        return description
    return str(MILESTONE_TEXTS[milestone][0])


def badge_criteria(criteria: str, milestone: str | None) -> str:
    if criteria or not milestone:
        return criteria
    return str(MILESTONE_TEXTS[milestone][1])


class BadgeClassQuerySet(models.QuerySet):
    def visible_to(self, user) -> "BadgeClassQuerySet":
        """Anyone signed in sees their organisation's badge classes."""
        if not user.is_authenticated or user.organisation_id is None:
            return self.none()
        return self.filter(organisation_id=user.organisation_id)

    def active(self) -> "BadgeClassQuerySet":
        return self.filter(retired_at__isnull=True)


class BadgeClass(models.Model):
    """What a badge is for. Coordinators write the texts of their own classes, in `language`; milestone
    classes leave `name`, `description` and `criteria` empty and take them from the catalogue."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="badge_classes")
    name = models.CharField(_("name"), max_length=120, blank=True)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    criteria = models.TextField(_("criteria"), max_length=2000, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    colour = models.CharField(_("colour"), max_length=7, default="#2a7ab0", help_text=_("#rrggbb"))
    milestone = models.CharField(
        _("milestone"), max_length=40, choices=Milestone.choices, null=True, blank=True, editable=False
    )
    contribution = models.CharField(
        _("contribution"),
        max_length=20,
        choices=Contribution.choices,
        null=True,
        blank=True,
        help_text=_("The nominations this badge answers (agents of change)."),
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BadgeClassQuerySet.as_manager()

    class Meta:
        ordering = ["organisation_id", "milestone", "name", "id"]
        verbose_name = _("badge class")
        verbose_name_plural = _("badge classes")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "milestone"],
                condition=Q(milestone__isnull=False),
                name="one_class_per_milestone",
            ),
            models.UniqueConstraint(
                fields=["organisation", "contribution"],
                condition=Q(contribution__isnull=False, retired_at__isnull=True),
                name="one_active_class_per_contribution",
            ),
            models.CheckConstraint(
                condition=Q(milestone__isnull=True) | Q(contribution__isnull=True), name="milestone_or_contribution"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def display_name(self) -> str:
        return badge_name(self.name, self.milestone)

    @property
    def display_description(self) -> str:
        return badge_description(self.description, self.milestone)

    @property
    def display_criteria(self) -> str:
        return badge_criteria(self.criteria, self.milestone)

    def texts_in(self, language: str) -> dict[str, str]:
        """Name, description and criteria as issued in a credential: a coordinator's texts as written,
        a milestone's in the given language."""
        with override(language):
            return {
                "name": self.display_name,
                "description": self.display_description,
                "criteria": self.display_criteria,
            }


class AwardQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AwardQuerySet":
        """The holder sees their own awards (the wallet); coordinators their organisation's."""
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.COORDINATOR:
            return self.filter(organisation_id=user.organisation_id)
        return self.filter(recipient_id=user.pk)

    def shared(self) -> "AwardQuerySet":
        return self.filter(share_slug__isnull=False, revoked_at__isnull=True)


def new_salt() -> str:
    return secrets.token_hex(16)


class Award(models.Model):
    """A badge class given to one person, with its evidence. Revocation is published in the
    organisation's status list at `status_index`."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    badge_class = models.ForeignKey(BadgeClass, on_delete=models.PROTECT, related_name="awards")
    # The badge class's, copied so the status list and a coordinator's list read one index.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="awards")
    # The badge class's, copied so the database itself refuses a second award of one milestone.
    milestone = models.CharField(max_length=40, choices=Milestone.choices, null=True, blank=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"))
    evidence_text = models.TextField(_("evidence"), max_length=2000, blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when awarded automatically."),
    )
    status_index = models.PositiveIntegerField(_("status list index"), editable=False)
    # The recipient in credentials: sha256 of their e-mail address and this salt, fixed at issue.
    salt = models.CharField(max_length=32, default=new_salt, editable=False)
    identity_hash = models.CharField(max_length=80, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Sharing is off by default; the slug is new each time the holder shares, so an old link dies.
    share_slug = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)
    share_name = models.CharField(_("name shown when shared"), max_length=80, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            # Exactly once per person and milestone, whatever events repeat or race.
            models.UniqueConstraint(
                fields=["recipient", "milestone"], condition=Q(milestone__isnull=False), name="one_award_per_milestone"
            ),
            models.UniqueConstraint(fields=["organisation", "status_index"], name="unique_status_index"),
        ]
        indexes = [models.Index(fields=["organisation", "-issued_at", "-id"], name="award_org_newest")]

    def __str__(self) -> str:
        return f"{self.badge_class} → {self.recipient_id}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_shared(self) -> bool:
        return self.share_slug is not None


class NominationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NominationQuerySet":
        """Coordinators see their organisation's nominations; a volunteer those they made; a mentee those
        about them once decided (a pending one is not theirs to worry about yet)."""
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.COORDINATOR:
            return self.filter(organisation_id=user.organisation_id)
        if user.role == Role.VOLUNTEER:
            return self.filter(nominated_by_id=user.pk)
        if user.role == Role.MENTEE:
            return self.filter(mentee__user_id=user.pk, status=NominationStatus.APPROVED)
        return self.none()


class Nomination(models.Model):
    """A volunteer or coordinator puts a mentee forward for what they did for others."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="nominations")
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="nominations_made"
    )
    category = models.CharField(_("what they did"), max_length=20, choices=Contribution.choices)
    evidence_text = models.TextField(_("evidence"), max_length=2000)
    evidence_url = models.URLField(_("link"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=NominationStatus.choices, default=NominationStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    award = models.OneToOneField(Award, on_delete=models.SET_NULL, null=True, blank=True, related_name="nomination")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        indexes = [models.Index(fields=["organisation", "status", "-created_at"], name="nomination_org_status")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.status})"


class IssuerKey(models.Model):
    """An organisation's Ed25519 signing key. The private half is read only by `badges.issuing`; it has
    no form field, no admin column and no place in `repr` or any answer."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="issuer_keys")
    kid = models.CharField(max_length=40, unique=True, editable=False)
    public_key = models.BinaryField(editable=False)
    # Empty when the key comes from settings (BADGES_ISSUER_KEYS): then it is never stored here.
    private_key = models.BinaryField(editable=False, blank=True, default=b"")
    # Retired: no longer signs, still verifies what it signed. Compromised (retired too): verifies nothing.
    retired_at = models.DateTimeField(null=True, blank=True)
    compromised_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "-created_at"]
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(retired_at__isnull=True), name="one_active_issuer_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.kid}"

    def __repr__(self) -> str:
        return f"<IssuerKey {self.kid} of organisation {self.organisation_id}>"
