"""Reads for scheduling: lists with their query shape, match-run instances, suggested times."""

from datetime import datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import LanguageLevel, User
from config.filtering import apply_filters
from mentees.models import HelpRequest, HelpRequestStatus, Mentee, Urgency
from scheduling import availability
from scheduling.filters import PairingFilter, SlotFilter
from scheduling.models import (
    CURRENT_STATUSES,
    DAY_CODES,
    AvailabilityWindow,
    MatchRun,
    MentoringSession,
    Pairing,
    PairingStatus,
    Slot,
)
from volunteers.models import Volunteer

URGENCY_ORDER = {Urgency.HIGH: 0, Urgency.NORMAL: 1, Urgency.LOW: 2}


def windows_of(user: User) -> list[availability.Window]:
    return [(w.day, w.start_minute, w.end_minute) for w in user.availability.all()]


def availability_as_seen_by(*, person: User, viewer_tz: str) -> list[availability.Window]:
    """The person's weekly windows converted to the viewer's time zone, on this week's dates."""
    monday = availability.monday_of(timezone.localdate())
    return availability.convert(windows_of(person), person.timezone, viewer_tz, monday)


def people_visible_to(user: User) -> QuerySet[User]:
    """Whose availability the user may read: their own, their current partners', and (coordinators)
    everyone's in their organisation."""
    if user.is_coordinator:
        return User.objects.filter(organisation_id=user.organisation_id)
    partners = Pairing.objects.visible_to(user).live()
    return User.objects.filter(
        Q(pk=user.pk)
        | Q(mentee__pairings__in=partners)
        | Q(volunteer__pairings__in=partners)
    ).distinct()


def slot_list(*, user: User, filters: dict | None = None) -> QuerySet[Slot]:
    qs = (
        Slot.objects.visible_to(user)
        .select_related("host__user")
        .prefetch_related("languages", "skills")
        .annotate(signup_count=Count("signups", distinct=True), booking_count=Count("bookings", distinct=True))
    )
    return apply_filters(SlotFilter, filters, qs).order_by("start", "id")


def pairing_list(*, user: User, filters: dict | None = None) -> QuerySet[Pairing]:
    qs = Pairing.objects.visible_to(user).select_related("mentee__user", "volunteer__user")
    return apply_filters(PairingFilter, filters, qs)


def session_list(*, user: User) -> QuerySet[MentoringSession]:
    return MentoringSession.objects.visible_to(user).select_related("pairing")


def match_run_list(*, user: User) -> QuerySet[MatchRun]:
    return MatchRun.objects.visible_to(user)


def suggested_times(*, pairing: Pairing, after: datetime | None = None, count: int = 5,
                    min_minutes: int = 60) -> list[availability.Interval]:
    volunteer, mentee = pairing.volunteer.user, pairing.mentee.user
    return availability.next_common_times(
        windows_of(volunteer), volunteer.timezone, windows_of(mentee), mentee.timezone,
        after=after or timezone.now(), min_minutes=min_minutes, count=count,
    )


def _windows_json(windows) -> list[dict]:
    return [
        {"day": DAY_CODES[w.day], "start": availability.format_minutes(w.start_minute),
         "end": availability.format_minutes(w.end_minute)}
        for w in windows
    ]


def _languages_json(user_languages, only: set[str] | None = None) -> list[dict]:
    return [
        {"code": item.language_id, "level": item.level}
        for item in user_languages
        if only is None or item.language_id in only
    ]


def match_instance(run: MatchRun) -> tuple[dict, dict[int, int | None]]:
    """The contract's JSON instance for a run, and each mentee's help request to attach to a proposal.

    Only open help requests of active mentees without a current pairing, and active volunteers with
    their capacity left after current pairings; earlier rejections are forbidden, pinned proposals kept.
    """
    organisation_id = run.organisation_id
    today = timezone.localdate()
    windows = Prefetch("user__availability", queryset=AvailabilityWindow.objects.order_by("day", "start_minute"))
    open_requests = Prefetch(
        "help_requests",
        queryset=HelpRequest.objects.filter(status=HelpRequestStatus.OPEN).prefetch_related("needs", "languages"),
        to_attr="open_requests",
    )
    mentees = (
        Mentee.objects.active()
        .filter(user__organisation_id=organisation_id, help_requests__status=HelpRequestStatus.OPEN)
        .exclude(pairings__status__in=CURRENT_STATUSES)
        .distinct()
        .select_related("user")
        .prefetch_related("user__languages", windows, open_requests)
        .order_by("pk")
    )
    volunteers = (
        Volunteer.objects.filter(user__organisation_id=organisation_id, user__is_active=True)
        .annotate(taken=Count("pairings", filter=Q(pairings__status__in=CURRENT_STATUSES)))
        .filter(capacity__gt=F("taken"))
        .select_related("user")
        .prefetch_related("user__languages", "skills", windows)
        .order_by("pk")
    )
    mentee_entries, mentee_requests = [], {}
    for mentee in mentees:
        requests = sorted(mentee.open_requests, key=lambda r: (URGENCY_ORDER.get(r.urgency, 1), r.created_at))
        wanted = {language.code for r in requests for language in r.languages.all()}
        languages = _languages_json(mentee.user.languages.all(), only=wanted or None)
        if not languages and wanted:
            # Preferred languages the profile does not list still count, at a working level.
            languages = [{"code": code, "level": LanguageLevel.FLUENT} for code in sorted(wanted)]
        mentee_entries.append({
            "id": f"m{mentee.pk}",
            "languages": languages,
            "needs": sorted({skill.slug for r in requests for skill in r.needs.all()}),
            "minor": mentee.is_minor,
            "timezone": mentee.user.timezone,
            "availability": _windows_json(mentee.user.availability.all()),
        })
        mentee_requests[mentee.pk] = requests[0].pk if requests else None
    volunteer_entries = [
        {
            "id": f"v{volunteer.pk}",
            "languages": _languages_json(volunteer.user.languages.all()),
            "skills": sorted(skill.slug for skill in volunteer.skills.all()),
            "capacity": volunteer.capacity - volunteer.taken,
            "vetted": volunteer.is_vetted(on=today),
            "timezone": volunteer.user.timezone,
            "availability": _windows_json(volunteer.user.availability.all()),
        }
        for volunteer in volunteers
    ]
    present_m = {entry["id"]: entry for entry in mentee_entries}
    present_v = {entry["id"]: entry for entry in volunteer_entries}
    decided = Pairing.objects.filter(organisation_id=organisation_id)
    forbidden = [
        [f"m{m}", f"v{v}"]
        for m, v in decided.filter(status=PairingStatus.REJECTED).values_list("mentee_id", "volunteer_id")
        if f"m{m}" in present_m and f"v{v}" in present_v
    ]
    pinned = [
        [f"m{m}", f"v{v}"]
        for m, v in decided.filter(status=PairingStatus.PROPOSED, pinned=True).values_list("mentee_id", "volunteer_id")
        if f"m{m}" in present_m and f"v{v}" in present_v
        # A pin never overrides safeguarding: vetting may have lapsed since it was set.
        and (not present_m[f"m{m}"]["minor"] or present_v[f"v{v}"]["vetted"])
    ]
    instance = {
        "reference_week": availability.monday_of(today).isoformat(),
        "min_overlap_minutes": run.min_overlap_minutes,
        "volunteers": volunteer_entries,
        "mentees": mentee_entries,
        "forbidden": forbidden,
        "pinned": pinned,
    }
    return instance, mentee_requests


def slot_ids_joined(*, user: User) -> set[int]:
    """The slots the person signed up for (a volunteer) or holds a place in (a mentee)."""
    from accounts.models import Role
    from scheduling.models import SlotBooking, SlotSignup

    if user.role == Role.VOLUNTEER:
        return set(SlotSignup.objects.filter(volunteer__user=user).values_list("slot_id", flat=True))
    if user.role == Role.MENTEE:
        return set(SlotBooking.objects.filter(mentee__user=user).values_list("slot_id", flat=True))
    return set()
