"""Weekly availability, mentoring slots and sign-ups, match runs, pairings and mentoring sessions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Language, Organisation, Role, Skill
from mentees.models import HelpRequest, Mentee
from volunteers.models import Volunteer


class Weekday(models.IntegerChoices):
    MON = 0, _("Monday")
    TUE = 1, _("Tuesday")
    WED = 2, _("Wednesday")
    THU = 3, _("Thursday")
    FRI = 4, _("Friday")
    SAT = 5, _("Saturday")
    SUN = 6, _("Sunday")


DAY_CODES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class AvailabilityWindow(models.Model):
    """A weekly window in the person's own time zone; minutes from local midnight, end may be 1440."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability")
    day = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start_minute = models.PositiveSmallIntegerField(_("start (minutes after midnight)"))
    end_minute = models.PositiveSmallIntegerField(_("end (minutes after midnight)"))

    class Meta:
        ordering = ["user_id", "day", "start_minute"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_minute__lt=models.F("end_minute")), name="window_starts_before_end"
            ),
            models.CheckConstraint(condition=Q(end_minute__lte=1440), name="window_ends_within_day"),
        ]

    def __str__(self) -> str:
        return f"{DAY_CODES[self.day]} {self.start_minute}-{self.end_minute}"


class SlotQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SlotQuerySet":
        """Everyone in an organisation sees its published slots."""
        if not user.is_authenticated or user.organisation_id is None:
            return self.none()
        return self.filter(organisation_id=user.organisation_id)


class Slot(models.Model):
    """A mentoring slot: a coordinator's group slot, or a volunteer's own one-to-one slot."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="slots")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    host = models.ForeignKey(
        Volunteer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="hosted_slots",
        help_text=_("Set for a volunteer's own one-to-one slot."),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    topic = models.CharField(_("topic"), max_length=200)
    languages = models.ManyToManyField(Language, verbose_name=_("languages"), related_name="+", blank=True)
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), related_name="+", blank=True)
    volunteers_needed = models.PositiveSmallIntegerField(_("volunteers needed"), default=1)
    mentee_places = models.PositiveSmallIntegerField(_("places for mentees"), default=1)
    online = models.BooleanField(_("online"), default=True)
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("Where, when not online."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="slot_starts_before_end"),
            models.CheckConstraint(condition=Q(online=True) | ~Q(place=""), name="offline_slot_has_place"),
        ]
        indexes = [models.Index(fields=["organisation", "start", "id"], name="slot_org_start")]

    def __str__(self) -> str:
        return f"{self.topic} ({self.start:%Y-%m-%d %H:%M})"


class SlotSignup(models.Model):
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="slot_signups")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["slot", "volunteer"], name="one_signup_per_volunteer")]

    def __str__(self) -> str:
        return f"{self.volunteer} in {self.slot}"


class SlotBooking(models.Model):
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="bookings")
    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="slot_bookings")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["slot", "mentee"], name="one_booking_per_mentee")]

    def __str__(self) -> str:
        return f"{self.mentee} in {self.slot}"


class MatchRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class MatchRunQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MatchRunQuerySet":
        if not user.is_authenticated or user.role != Role.COORDINATOR:
            return self.none()
        return self.filter(organisation_id=user.organisation_id)


class MatchRun(models.Model):
    """One run of the matcher over an organisation's open help requests and active volunteers."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="match_runs")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=10, choices=MatchRunStatus.choices, default=MatchRunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Percent done."))
    stage = models.CharField(max_length=40, blank=True)
    weights = models.JSONField(default=dict)
    min_overlap_minutes = models.PositiveSmallIntegerField(default=60)
    mentees_considered = models.PositiveIntegerField(default=0)
    volunteers_considered = models.PositiveIntegerField(default=0)
    candidate_pairs = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    total_score = models.FloatField(default=0)
    timings = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = MatchRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"run #{self.pk} ({self.status})"


class PairingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


# Pairings that grant their two people each other's availability, suggested times, sessions and the chat.
LIVE_STATUSES = [PairingStatus.APPROVED, PairingStatus.ACTIVE]
# Pairings that hold a place in the volunteer's capacity and are the mentee's current pairing: live ones,
# and suspended ones that may resume.
CURRENT_STATUSES = [*LIVE_STATUSES, PairingStatus.SUSPENDED]


class EndKind(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class PairingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PairingQuerySet":
        """Coordinators see their organisation's pairings; members see their own once approved."""
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.COORDINATOR:
            return self.filter(organisation_id=user.organisation_id)
        member = Q(volunteer__user_id=user.pk) | Q(mentee__user_id=user.pk)
        if user.role in (Role.VOLUNTEER, Role.MENTEE):
            return self.filter(member).exclude(status__in=[PairingStatus.PROPOSED, PairingStatus.REJECTED])
        return self.none()

    def live(self) -> "PairingQuerySet":
        return self.filter(status__in=LIVE_STATUSES)

    def current(self) -> "PairingQuerySet":
        return self.filter(status__in=CURRENT_STATUSES)


class Pairing(models.Model):
    """A mentee and a volunteer: proposed by a match run (or a coordinator), then decided by a coordinator."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="pairings")
    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="pairings")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="pairings")
    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="pairings"
    )
    match_run = models.ForeignKey(MatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="pairings")
    status = models.CharField(max_length=10, choices=PairingStatus.choices, default=PairingStatus.PROPOSED)
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list)
    pinned = models.BooleanField(default=False, help_text=_("Kept by later match runs."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=500, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_kind = models.CharField(max_length=10, choices=EndKind.choices, blank=True)
    end_reason = models.CharField(max_length=500, blank=True)
    suspended_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A mentee has at most one current pairing, whatever races happen.
            models.UniqueConstraint(
                fields=["mentee"], condition=Q(status__in=CURRENT_STATUSES), name="one_live_pairing_per_mentee"
            ),
            models.UniqueConstraint(
                fields=["mentee", "volunteer"], condition=Q(status="proposed"), name="one_open_proposal_per_pair"
            ),
        ]
        # Lists are per organisation, newest first: the index serves both, so a page reads 25 rows.
        indexes = [
            models.Index(
                "organisation", models.F("created_at").desc(), models.F("id").desc(), name="pairing_org_newest"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentee} & {self.volunteer} ({self.status})"

    def is_member(self, user) -> bool:
        return user.pk in (self.mentee.user_id, self.volunteer.user_id)


class SessionStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    HELD = "held", _("Held")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class MentoringSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MentoringSessionQuerySet":
        if user.is_authenticated and user.role == Role.COORDINATOR:
            return self.filter(organisation_id=user.organisation_id)
        return self.filter(pairing__in=Pairing.objects.visible_to(user))


class MentoringSession(models.Model):
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="sessions")
    # The pairing's, copied so a coordinator's list reads one index in order instead of every session.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    slot = models.ForeignKey(Slot, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.BOOKED)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentoringSessionQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="session_starts_before_end"),
        ]
        indexes = [models.Index(fields=["organisation", "start", "id"], name="session_org_start")]

    def __str__(self) -> str:
        return f"session {self.start:%Y-%m-%d %H:%M} ({self.status})"
