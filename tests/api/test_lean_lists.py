"""Lists served from plain rows (config.lean) answer exactly what the view's serializer gives for the same
objects: same fields in the same order, same formats, same related slugs and nested objects in the same
order, null where a key is null; for every role that sees the list, with filters, and as the one page or
several: byte for byte what DRF answers, in no more queries."""

import datetime
import re

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import serializers

from accounts.models import Language, Skill, User
from accounts.personal_data import erase_user
from config import lean
from mentees.models import HelpRequest
from mentees.serializers import HelpRequestSerializer
from mentees.services import consent_record, help_request_create
from scheduling.models import MentoringSession, Pairing, PairingStatus, Slot
from scheduling.selectors import slot_list
from scheduling.serializers import SessionSerializer, SlotSerializer
from tests.chat.conftest import approved_conversation
from tests.conftest import make_mentee, make_volunteer, vet

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation_data(org_a, carol, alice, bob, vocabulary):
    skills = list(Skill.objects.order_by("slug")[:3])
    languages = list(Language.objects.order_by("code")[:2])
    help_request_create(mentee=bob, needs=[skills[2], skills[0]], languages=languages[::-1], description="CV")
    conversation = approved_conversation(org_a, alice, bob, carol)
    now = timezone.now()
    for i in range(3):
        slot = Slot.objects.create(
            organisation=org_a,
            created_by=carol,
            host=alice if i == 1 else None,
            start=now + datetime.timedelta(days=i + 1),
            end=now + datetime.timedelta(days=i + 1, hours=1),
            topic=f"CVs {i}",
        )
        slot.skills.set(skills[: i + 1])
        slot.languages.set(languages[:i])
        MentoringSession.objects.create(
            pairing=conversation.pairing, organisation=org_a, slot=slot, start=slot.start, end=slot.end, booked_by=carol
        )


def drf_results(serializer_class, objects) -> list[dict]:
    return [dict(item) for item in serializer_class(objects, many=True).data]


@pytest.mark.usefixtures("organisation_data")
@pytest.mark.parametrize("who", ["carol", "alice", "bob"])
@pytest.mark.parametrize(
    ("path", "serializer_class", "objects"),
    [
        ("/api/help-requests/", HelpRequestSerializer, lambda user: HelpRequest.objects.visible_to(user)),
        ("/api/slots/", SlotSerializer, lambda user: slot_list(user=user)),
        ("/api/sessions/", SessionSerializer, lambda user: MentoringSession.objects.visible_to(user)),
    ],
)
def test_a_lean_list_answers_what_its_serializer_gives(api, request, who, path, serializer_class, objects):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    assert lean.lean_plan(serializer_class) is not None  # served from plain rows, not by DRF
    count = api(user).get(path).data["count"]
    for query in ["", "?page_size=1", *(["?page_size=1&page=2"] if count > 1 else [])]:
        response = api(user).get(path + query)
        assert response.status_code == 200
        ids = [item["id"] for item in response.data["results"]]
        by_id = {obj.pk: obj for obj in objects(user).filter(pk__in=ids)}
        assert response.data["results"] == drf_results(serializer_class, [by_id[pk] for pk in ids])
    if user.is_coordinator:
        assert len(api(user).get(path).data["results"]) >= 1


@pytest.mark.usefixtures("organisation_data")
def test_filters_apply_to_a_lean_list(api, carol):
    open_requests = api(carol).get("/api/help-requests/?status=open").data
    closed = api(carol).get("/api/help-requests/?status=closed").data
    assert (open_requests["count"], closed["count"]) == (1, 0)


@pytest.fixture
def varied_data(organisation_data, org_a, org_b, carol, dave, alice, victor, bob, mia, eve, mallory):
    """Beside organisation_data: a vetted and an expired volunteer, one with no skills nor languages, one
    whose account has no organisation (a null nested object); a minor with consent, an erased mentee;
    proposals with and without reasons or a match run; another organisation's pairing and conversation."""
    vet(alice, carol)
    vet(victor, carol, expires_in_days=-1)
    lone = make_volunteer(org_a, "lone@example.org", "Lone", skills=[], languages=[])
    User.objects.filter(pk=lone.user_id).update(organisation=None)
    consent_record(
        mentee=mia, guardian_name="Amal", given_on=timezone.localdate(), method="signed_form", recorded_by=carol
    )
    Pairing.objects.create(
        organisation=org_a,
        mentee=bob,
        volunteer=victor,
        score=2.5,
        reasons=[
            {"kind": "need", "code": "cv-writing"},
            {"kind": "language", "code": "ar", "level": "native"},
            {"kind": "overlap", "minutes": 90},
            "stored before reasons were structured",
        ],
    )
    Pairing.objects.create(organisation=org_a, mentee=mia, volunteer=lone, status=PairingStatus.REJECTED)
    Pairing.objects.create(organisation=org_a, mentee=mia, volunteer=alice, pinned=True)
    Pairing.objects.create(organisation=org_a, mentee=eve, volunteer=alice, status=PairingStatus.REJECTED)
    erase_user(eve.user)
    other = make_volunteer(org_b, "olga@example.org", "Olga", skills=["housing"])
    approved_conversation(org_b, other, mallory, dave)
    make_mentee(org_b, "nina@example.org", "Nina", birth_year=timezone.localdate().year - 15, languages=[])


LISTS = {
    "/api/volunteers/": ["", "?page_size=2&page=2", "?skill=cv-writing", "?language=ar", "?vetted=true"],
    "/api/mentees/": ["", "?page_size=2&page=2", "?language=ar", "?age_group=minor", "?active=true"],
    "/api/pairings/": ["", "?page_size=2&page=2", "?status=proposed", "?pinned=true"],
    "/api/conversations/": ["", "?page_size=1&page=2"],
    "/api/help-requests/": ["", "?status=open"],
    "/api/slots/": ["", "?page_size=2&page=2"],
    "/api/sessions/": ["", "?page_size=2&page=2"],
}


@pytest.mark.usefixtures("varied_data")
@pytest.mark.parametrize("who", ["carol", "dave", "alice", "victor", "bob", "mia", "mallory"])
@pytest.mark.parametrize("path", list(LISTS))
def test_a_lean_list_answers_byte_for_byte_what_drf_answers(api, request, monkeypatch, who, path):
    user = getattr(request.getfixturevalue(who), "user", request.getfixturevalue(who))
    for query in LISTS[path]:
        # when
        with CaptureQueriesContext(connection) as lean_queries:
            lean_answer = api(user).get(path + query)
        with monkeypatch.context() as drf_only:
            drf_only.setattr(lean, "lean_plan", lambda serializer_class: None)
            with CaptureQueriesContext(connection) as drf_queries:
                drf_answer = api(user).get(path + query)
        # then
        assert lean_answer.status_code == drf_answer.status_code, path + query
        assert lean_answer.status_code in ((200,) if query == "" else (200, 404))  # a page past the end: 404
        assert lean_answer.content == drf_answer.content, path + query
        # at most one statement more: a page through joins reads its keys, then its rows by key
        assert len(lean_queries) <= len(drf_queries) + 1, path + query
        assert b"@" not in lean_answer.content  # no e-mail, an erased person's or anyone's


@pytest.mark.usefixtures("varied_data")
@pytest.mark.parametrize("path", list(LISTS))
def test_a_lean_page_selects_each_column_once(api, carol, path):
    """Each column a page reads costs the ORM a walk through its joins on every request: none is asked for
    twice (the key as `pk` and as `id`; a nested object's key where it can never be null)."""
    # when
    with CaptureQueriesContext(connection) as queries:
        answer = api(carol).get(path)
    # then
    assert answer.status_code == 200
    selects = [query["sql"] for query in queries if query["sql"].startswith("SELECT")]
    assert selects
    for sql in selects:
        columns = re.findall(r'((?:"\w+"|T\d+)\."\w+")(?: AS "|,| FROM)', sql.split(" WHERE ")[0])
        assert columns, sql
        assert len(columns) == len(set(columns)), sorted(column for column in columns if columns.count(column) > 1)


@pytest.mark.usefixtures("varied_data")
def test_the_varied_lists_are_served_lean_and_show_what_they_were_built_to(api, carol):
    from chat.serializers import ConversationSerializer
    from mentees.serializers import MenteeCoordinatorSerializer, MenteeSerializer
    from scheduling.serializers import PairingSerializer
    from volunteers.serializers import VolunteerSerializer

    for serializer_class in (
        VolunteerSerializer,
        MenteeSerializer,
        MenteeCoordinatorSerializer,
        PairingSerializer,
        ConversationSerializer,
    ):
        assert lean.lean_plan(serializer_class) is not None, serializer_class
    volunteers = {item["display_name"]: item for item in api(carol).get("/api/volunteers/").data["results"]}
    assert volunteers["Lone"]["organisation"] is None
    assert (volunteers["Lone"]["skills"], volunteers["Lone"]["languages"]) == ([], [])
    assert (volunteers["Alice"]["vetted"], volunteers["Victor"]["vetted"]) == (True, False)
    mentees = {item["display_name"]: item for item in api(carol).get("/api/mentees/").data["results"]}
    assert mentees["Former member"]["languages"] == []
    assert (mentees["Mia"]["is_minor"], mentees["Mia"]["has_consent"], mentees["Mia"]["is_active"]) == (True,) * 3
    pairings = api(carol).get("/api/pairings/?status=proposed").data["results"]
    texts = [item["reason_texts"] for item in pairings if item["reasons"]]
    assert texts
    assert texts[0][-1] == "stored before reasons were structured"
    assert "Olga" not in str(api(carol).get("/api/conversations/").content)


def test_a_serializer_with_a_field_that_needs_an_object_is_served_by_drf():
    class WithMethod(serializers.ModelSerializer):
        shout = serializers.SerializerMethodField()

        class Meta:
            model = Slot
            fields = ["id", "shout"]

        def get_shout(self, obj) -> str:
            return obj.topic.upper()

    class ThroughANullableKey(serializers.ModelSerializer):
        host_bio = serializers.CharField(source="host.bio")  # DRF skips or fails where there is no host

        class Meta:
            model = Slot
            fields = ["id", "host_bio"]

    class WithAMethodAsSource(serializers.ModelSerializer):
        when = serializers.CharField(source="__str__")

        class Meta:
            model = Slot
            fields = ["id", "when"]

    class Joined(serializers.ModelSerializer):
        organisation_name = serializers.CharField(source="organisation.name")

        class Meta:
            model = Slot
            fields = ["id", "organisation_name"]

    assert lean.lean_plan(WithMethod) is None
    assert lean.lean_plan(ThroughANullableKey) is None
    assert lean.lean_plan(WithAMethodAsSource) is None
    assert lean.lean_plan(Joined) is not None  # a column through the join


def test_a_column_that_drf_gives_back_as_it_is_is_read_without_a_call_per_row():
    class Shouting(serializers.CharField):
        def to_representation(self, value):
            return value.upper()

    class Mixed(serializers.ModelSerializer):
        loud_topic = Shouting(source="topic")
        kind = serializers.ChoiceField(source="place", choices=[("online", "Online"), ("room", "Room")])
        numbered = serializers.ChoiceField(source="place", choices=[(1, "One"), (2, "Two")])

        class Meta:
            model = Slot
            fields = ["id", "topic", "volunteers_needed", "online", "host", "start", "loud_topic", "kind", "numbered"]

    plan = lean.lean_plan(Mixed)
    readers = dict(plan.fields)
    # text, numbers, booleans, a text choice and a key's id: as the database gives them
    for name in ["id", "topic", "volunteers_needed", "online", "host", "kind"]:
        assert readers[name].formatter is None, name
    # a date is formatted; so is a field with its own to_representation, and a choice whose keys are no texts
    for name in ["start", "loud_topic", "numbered"]:
        assert readers[name].formatter is not None, name
    row = {
        "pk": 1,
        "id": 1,
        "topic": "Maths",
        "volunteers_needed": 2,
        "online": True,
        "host": 7,
        "start": timezone.now(),
        "place": "room",
    }
    read = plan.represent([row], {})[0]
    assert (read["topic"], read["loud_topic"], read["kind"], read["online"], read["host"]) == (
        "Maths",
        "MATHS",
        "room",
        True,
        7,
    )


def test_a_boolean_column_is_drfs_for_every_value_it_may_hold():
    class Flags(serializers.ModelSerializer):
        # an annotation of the list's queryset; computed properties share the formatter (their True and False
        # are held by the byte-for-byte tests)
        flag = serializers.BooleanField(read_only=True)
        flag_or_none = serializers.BooleanField(read_only=True, allow_null=True)

        class Meta:
            model = Slot
            fields = ["id", "flag", "flag_or_none"]

    plan = lean.lean_plan(Flags)
    drf = serializers.BooleanField(allow_null=True)
    values = [True, False, 1, 0, "true", "False", "no", "maybe", 2.5, "", "null"]
    rows = [{"pk": i, "id": i, "flag": value, "flag_or_none": value} for i, value in enumerate(values)]
    read = plan.represent(rows, {})

    def typed(values):  # 1 == True in Python: a 1 given back as it is would pass unseen
        return [(type(value), value) for value in values]

    assert typed(row["flag"] for row in read) == typed(serializers.BooleanField().to_representation(v) for v in values)
    assert typed(row["flag_or_none"] for row in read) == typed(drf.to_representation(v) for v in values)


@pytest.mark.usefixtures("varied_data")
def test_a_list_that_prefetches_through_its_own_queryset_is_served_by_drf(api, carol, monkeypatch):
    from volunteers import api as volunteer_api

    ordered = volunteer_api.VolunteerViewSet.get_queryset
    monkeypatch.setattr(
        volunteer_api.VolunteerViewSet,
        "get_queryset",
        lambda view: (
            ordered(view)
            .prefetch_related(None)
            .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("-slug")))
        ),
    )
    alice = next(item for item in api(carol).get("/api/volunteers/").data["results"] if item["display_name"] == "Alice")
    assert alice["skills"] == ["python", "cv-writing"]  # the prefetch's order, which only DRF follows
    assert alice["languages"] == [{"language": "ar", "level": "fluent"}, {"language": "en", "level": "native"}]


DETAILS = {
    "/api/volunteers/": "volunteers_volunteer",
    "/api/mentees/": "mentees_mentee",
    "/api/pairings/": "scheduling_pairing",
    "/api/conversations/": "chat_conversation",
    "/api/help-requests/": "mentees_helprequest",
    "/api/slots/": "scheduling_slot",
    "/api/sessions/": "scheduling_mentoringsession",
}


def every_id(table: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY id")  # noqa: S608 (a table name of this test's own)
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.usefixtures("varied_data")
@pytest.mark.parametrize("who", ["carol", "dave", "alice", "victor", "bob", "mia", "mallory"])
@pytest.mark.parametrize("path", list(DETAILS))
def test_a_lean_detail_answers_byte_for_byte_what_drf_answers(api, request, monkeypatch, who, path):
    """Every object of every organisation, and ids that are no object or no number: the same status and
    bytes as DRF's retrieve (404 for what the caller may not see), in no more queries."""
    user = getattr(request.getfixturevalue(who), "user", request.getfixturevalue(who))
    represented = []
    represent = lean.LeanPlan.represent
    monkeypatch.setattr(lean.LeanPlan, "represent", lambda plan, *args: represented.append(1) or represent(plan, *args))
    seen = 0
    for pk in [*every_id(DETAILS[path]), 10**9, "abc", "1.5"]:
        with CaptureQueriesContext(connection) as lean_queries:
            lean_answer = api(user).get(f"{path}{pk}/")
        with monkeypatch.context() as drf_only:
            drf_only.setattr(lean, "lean_plan", lambda serializer_class: None)
            with CaptureQueriesContext(connection) as drf_queries:
                drf_answer = api(user).get(f"{path}{pk}/")
        assert lean_answer.status_code == drf_answer.status_code, (path, pk)
        assert lean_answer.status_code in (200, 403, 404), (path, pk)
        if lean_answer["Content-Type"] == "application/json":  # not the site's 404 page (a new nonce each time)
            assert lean_answer.content == drf_answer.content, (path, pk)
        assert len(lean_queries) <= len(drf_queries) + 1, (path, pk)  # the key, then the row by key
        seen += lean_answer.status_code == 200
    if who == "carol":
        assert seen >= 1
        # served from plain rows; but a conversation's retrieve records each look, with the object
        assert len(represented) == (0 if path == "/api/conversations/" else seen)


@pytest.mark.usefixtures("organisation_data")
@pytest.mark.parametrize("zone", ["Asia/Tehran", "America/St_Johns", "UTC"])
def test_lean_dates_are_drfs_in_the_active_time_zone(api, carol, monkeypatch, zone):
    """Dates are formatted with the time zone read once per page: the same text as DRF's, which reads it for
    each date (UTC as Z, half-hour offsets kept)."""
    import zoneinfo

    session = MentoringSession.objects.filter(organisation=carol.organisation).first()

    def get(path: str):  # the API's middleware ends each request in the default zone: set it for each
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            return api(carol).get(path)

    for path in ("/api/sessions/", "/api/slots/", f"/api/sessions/{session.pk}/"):
        lean_answer = get(path)
        with monkeypatch.context() as drf_only:
            drf_only.setattr(lean, "lean_plan", lambda serializer_class: None)
            drf_answer = get(path)
        assert lean_answer.status_code == 200
        assert lean_answer.content == drf_answer.content
    expected = {"Asia/Tehran": "+03:30", "America/St_Johns": "-03:30", "UTC": "Z"}[zone]
    assert expected + '"' in lean_answer.content.decode()


@pytest.mark.usefixtures("varied_data")
def test_a_view_with_its_own_get_object_is_served_by_drf(api, carol, monkeypatch):
    """The lean retrieve reproduces DRF's get_object only: a view's own lookup or checks there are kept."""
    from rest_framework.exceptions import PermissionDenied

    from volunteers import api as volunteer_api

    def refuse(view):
        raise PermissionDenied

    monkeypatch.setattr(volunteer_api.VolunteerViewSet, "get_object", refuse, raising=False)
    volunteer = api(carol).get("/api/volunteers/").data["results"][0]
    assert api(carol).get(f"/api/volunteers/{volunteer['id']}/").status_code == 403


@pytest.mark.parametrize("flips_after", range(8))
def test_a_page_read_across_midnight_judges_every_row_on_one_date(api, carol, org_a, monkeypatch, flips_after):
    # given three mentees born 18 years before this year: minors until the year ends
    year = timezone.localdate().year
    for name in ("Nour", "Omar", "Rana"):
        make_mentee(org_a, f"{name.lower()}@example.org", name, birth_year=year - 18, languages=[])
    # and a clock that reaches New Year's Day after some readings of the date
    readings = iter(range(1000))

    def localdate(*args, **kwargs):
        return datetime.date(year, 12, 31) if next(readings) < flips_after else datetime.date(year + 1, 1, 1)

    monkeypatch.setattr(timezone, "localdate", localdate)
    # when the coordinator reads the mentees
    rows = api(carol).get("/api/mentees/").json()["results"]
    # then every row was judged on the same date, whichever it was
    judged = {(row["is_minor"], row["is_active"]) for row in rows if row["display_name"] in ("Nour", "Omar", "Rana")}
    assert len(judged) == 1, judged


@pytest.mark.usefixtures("varied_data")
def test_a_page_reads_its_rows_by_key_in_a_statement_compiled_once_for_everyone(api, carol, dave):
    from volunteers.serializers import VolunteerSerializer

    by_key = lean.lean_plan(VolunteerSerializer)._by_key(connection.vendor)[1]
    # when coordinators of two organisations ask for a page of two volunteers, one after the other
    first = api(carol).get("/api/volunteers/?page_size=2")
    compiled = by_key.compiled["default"][(2,)]
    others = [api(coordinator).get("/api/volunteers/?page_size=2") for coordinator in (dave, carol)]
    # then each sees their own organisation's
    assert [answer.status_code for answer in (first, *others)] == [200] * 3
    names = [[item["display_name"] for item in answer.data["results"]] for answer in (first, *others)]
    assert len(names[0]) == 2
    assert names[0] == names[2]
    assert set(names[0]).isdisjoint(names[1]), names
    # through the statement compiled for the first, run again with the others' keys
    assert by_key.compiled["default"][(2,)] is compiled


@pytest.mark.usefixtures("varied_data")
def test_rows_read_by_key_keep_the_keys_order_and_leave_out_a_row_deleted_since(carol):
    from volunteers.models import Volunteer
    from volunteers.serializers import VolunteerSerializer

    plan = lean.lean_plan(VolunteerSerializer)
    ids = list(Volunteer.objects.order_by("-pk").values_list("pk", flat=True))
    assert len(ids) >= 2
    # the keys of a list without pages: more than one statement holds, most of them deleted since
    keys = [{"id": ids[0]}, *({"id": 10**12 + n} for n in range(300)), {"id": ids[1]}, {"id": ids[0]}]
    with CaptureQueriesContext(connection) as queries:
        rows = plan.complete(keys, "default")
    assert [row["id"] for row in rows] == [ids[0], ids[1], ids[0]]
    assert rows[0]["user__display_name"] == Volunteer.objects.get(pk=ids[0]).user.display_name
    assert len(queries) == 3  # 303 keys, at most 128 a statement


def test_a_model_without_an_integer_key_is_served_by_drf():
    from accounts.models import Language

    class LanguageSerializer(serializers.ModelSerializer):
        class Meta:
            model = Language
            fields = ["code", "name"]

    assert lean.lean_plan(LanguageSerializer) is None


@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_a_page_reads_its_rows_by_key_where_that_saves_compiling_joins_or_statements(vendor):
    from chat.serializers import ConversationSerializer
    from volunteers.serializers import VolunteerSerializer

    def by_key(serializer_class):
        return lean.lean_plan(serializer_class)._by_key(vendor)

    # compiling its joins cost more than a second statement
    assert by_key(VolunteerSerializer) is not None
    assert by_key(ConversationSerializer) is not None
    # its own table's columns cost less; on PostgreSQL its slugs come as arrays with the rows, saving two
    assert by_key(SessionSerializer) is None
    for serializer_class in (SlotSerializer, HelpRequestSerializer):
        assert (by_key(serializer_class) is not None) == (vendor == "postgresql"), serializer_class
    arrays = [name for name in (by_key(VolunteerSerializer) or ([], None))[0] if name.startswith("lean_many_")]
    assert len(arrays) == (1 if vendor == "postgresql" else 0)  # skills; languages are objects, read apart


@pytest.mark.postgres
@pytest.mark.usefixtures("varied_data")
@pytest.mark.parametrize(
    ("path", "statements"), [("/api/help-requests/", 2), ("/api/slots/", 2), ("/api/volunteers/", 3)]
)
def test_on_postgresql_a_pages_slugs_come_with_its_rows(api, carol, path, statements):
    # when
    with CaptureQueriesContext(connection) as queries:
        answer = api(carol).get(path)
    # then: the page's keys, its rows with their slugs (and a volunteer's languages, objects), beside the count
    assert answer.status_code == 200
    assert answer.data["results"]
    assert len([query for query in queries if not query["sql"].startswith("SELECT COUNT(")]) == statements
    assert "ARRAY(SELECT" in queries[-1 if statements == 2 else -2]["sql"]
