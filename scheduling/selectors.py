"""Reads for scheduling: lists with their query shape, match-run instances, suggested times."""

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, F, ForeignKey, Func, IntegerField, Model, Q, QuerySet
from django.utils import timezone

from accounts.models import LanguageLevel, User, UserLanguage
from config.filtering import apply_filters
from mentees.models import HelpRequest, HelpRequestStatus, Mentee, Urgency, minor_birth_year_floor
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
    SlotBooking,
    SlotSignup,
)
from volunteers.models import VettingStatus, Volunteer

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
    if user.is_coordinator and user.organisation_id is not None:  # a coordinator always has one
        return User.objects.filter(organisation_id=user.organisation_id)
    partners = Pairing.objects.visible_to(user).live()
    return User.objects.filter(
        Q(pk=user.pk) | Q(mentee__pairings__in=partners) | Q(volunteer__pairings__in=partners)
    ).distinct()


class _CountOf(Func):
    """How many rows of `model` point at the outer row through `key`: a subquery PostgreSQL runs for the
    page's rows only, where a GROUP BY over joins would count for every slot of the organisation before the
    LIMIT. Written as one expression over the outer row's key (the correlated COUNT the ORM's Subquery wrote,
    without its GROUP BY): building and compiling the ORM's two subqueries cost about a fifth of a slots
    page's CPU. A count of no rows is 0, never NULL (no GROUP BY, so no Coalesce)."""

    template = "(SELECT COUNT(*) FROM %(table)s WHERE %(table)s.%(column)s = %(expressions)s)"
    output_field = IntegerField()

    def __init__(self, model: type[Model], key: str):
        super().__init__(F("pk"))
        field = model._meta.get_field(key)
        assert isinstance(field, ForeignKey), key
        self.table, self.column = model._meta.db_table, field.column

    def as_sql(self, compiler, connection, function=None, template=None, arg_joiner=None, **extra_context):
        quote = connection.ops.quote_name
        extra_context.update(table=quote(self.table), column=quote(self.column))
        return super().as_sql(compiler, connection, function, template, arg_joiner, **extra_context)


def slot_list(*, user: User, filters: dict | None = None) -> QuerySet[Slot]:
    # The host is shown as an id only: no join to it. The organisation's slots in (start, id) order come
    # straight from the slot_org_start index.
    qs = (
        Slot.objects.visible_to(user)
        .prefetch_related("languages", "skills")
        .annotate(signup_count=_CountOf(SlotSignup, "slot"), booking_count=_CountOf(SlotBooking, "slot"))
    )
    return apply_filters(SlotFilter, filters, qs).order_by("start", "id")


def pairing_list(*, user: User, filters: dict | None = None) -> QuerySet[Pairing]:
    qs = Pairing.objects.visible_to(user).select_related("mentee__user", "volunteer__user")
    return apply_filters(PairingFilter, filters, qs)


def session_list(*, user: User) -> QuerySet[MentoringSession]:
    # The pairing is shown as an id only: no join to it.
    return MentoringSession.objects.visible_to(user)


def match_run_list(*, user: User) -> QuerySet[MatchRun]:
    return MatchRun.objects.visible_to(user)


def suggested_times(
    *, pairing: Pairing, after: datetime | None = None, count: int = 5, min_minutes: int = 60
) -> list[availability.Interval]:
    volunteer, mentee = pairing.volunteer.user, pairing.mentee.user
    return availability.next_common_times(
        windows_of(volunteer),
        volunteer.timezone,
        windows_of(mentee),
        mentee.timezone,
        after=after or timezone.now(),
        min_minutes=min_minutes,
        count=count,
    )


def match_instance(run: MatchRun) -> tuple[dict, dict[int, int | None]]:
    """The contract's JSON instance for a run, and each mentee's help request to attach to a proposal.

    Only open help requests of active mentees without a current pairing, and active volunteers with
    their capacity left after current pairings; earlier rejections are forbidden, pinned proposals kept.
    Read as plain rows, one query per kind for the whole organisation: building a model object for
    every person, request, language and window cost seconds at a few thousand people.
    """
    organisation_id = run.organisation_id
    today = timezone.localdate()
    minor_floor = minor_birth_year_floor(today)
    mentees = list(
        Mentee.objects.active()
        .filter(organisation_id=organisation_id, help_requests__status=HelpRequestStatus.OPEN)
        .exclude(pairings__status__in=CURRENT_STATUSES)
        .distinct()
        .order_by("pk")
        .values_list("pk", "user_id", "birth_year", "user__timezone")
    )
    volunteers = list(
        Volunteer.objects.filter(organisation_id=organisation_id, user__is_active=True)
        .annotate(taken=Count("pairings", filter=Q(pairings__status__in=CURRENT_STATUSES)))
        .filter(capacity__gt=F("taken"))
        .order_by("pk")
        .values_list("pk", "user_id", "capacity", "taken", "vetting_status", "vetting_expires_on", "user__timezone")
    )
    languages_of: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for user_id, code, level in (
        UserLanguage.objects.filter(user__organisation_id=organisation_id)
        .order_by("user_id", "language_id")
        .values_list("user_id", "language_id", "level")
    ):
        languages_of[user_id].append((code, level))
    windows_of_user: dict[int, list[dict]] = defaultdict(list)
    for user_id, day, start, end in (
        AvailabilityWindow.objects.filter(user__organisation_id=organisation_id)
        .order_by("user_id", "day", "start_minute")
        .values_list("user_id", "day", "start_minute", "end_minute")
    ):
        windows_of_user[user_id].append(
            {
                "day": DAY_CODES[day],
                "start": availability.format_minutes(start),
                "end": availability.format_minutes(end),
            }
        )
    open_requests = HelpRequest.objects.filter(organisation_id=organisation_id, status=HelpRequestStatus.OPEN)
    requests_of: dict[int, list[tuple]] = defaultdict(list)
    for pk, mentee_id, urgency, created_at in open_requests.values_list("pk", "mentee_id", "urgency", "created_at"):
        # Most urgent first, then oldest; the later-created first among equals, as the list shows them.
        requests_of[mentee_id].append((URGENCY_ORDER.get(urgency, 1), created_at, -pk, pk))
    needs_of: dict[int, set[str]] = defaultdict(set)
    for request_id, slug in HelpRequest.needs.through.objects.filter(helprequest__in=open_requests).values_list(
        "helprequest_id", "skill__slug"
    ):
        needs_of[request_id].add(slug)
    wanted_of: dict[int, set[str]] = defaultdict(set)
    for request_id, code in HelpRequest.languages.through.objects.filter(helprequest__in=open_requests).values_list(
        "helprequest_id", "language_id"
    ):
        wanted_of[request_id].add(code)
    skills_of: dict[int, list[str]] = defaultdict(list)
    for volunteer_id, slug in Volunteer.skills.through.objects.filter(
        volunteer__organisation_id=organisation_id
    ).values_list("volunteer_id", "skill__slug"):
        skills_of[volunteer_id].append(slug)

    mentee_entries, mentee_requests = [], {}
    for pk, user_id, birth_year, tz in mentees:
        requests = sorted(requests_of[pk])
        wanted = {code for *_, request_id in requests for code in wanted_of[request_id]}
        languages = [
            {"code": code, "level": level} for code, level in languages_of[user_id] if not wanted or code in wanted
        ]
        if not languages and wanted:
            # Preferred languages the profile does not list still count, at a working level.
            languages = [{"code": code, "level": LanguageLevel.FLUENT} for code in sorted(wanted)]
        mentee_entries.append(
            {
                "id": f"m{pk}",
                "languages": languages,
                "needs": sorted({slug for *_, request_id in requests for slug in needs_of[request_id]}),
                "minor": birth_year >= minor_floor,
                "timezone": tz,
                "availability": windows_of_user[user_id],
            }
        )
        mentee_requests[pk] = requests[0][3] if requests else None
    volunteer_entries = [
        {
            "id": f"v{pk}",
            "languages": [{"code": code, "level": level} for code, level in languages_of[user_id]],
            "skills": sorted(skills_of[pk]),
            "capacity": capacity - taken,
            "vetted": vetting_status == VettingStatus.VERIFIED and expires_on is not None and expires_on >= today,
            "timezone": tz,
            "availability": windows_of_user[user_id],
        }
        for pk, user_id, capacity, taken, vetting_status, expires_on, tz in volunteers
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
        if f"m{m}" in present_m
        and f"v{v}" in present_v
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
