"""Lists served from plain rows (config.lean) answer exactly what the view's serializer gives for the same
objects: same fields in the same order, same formats, same related slugs in the same order; for every
role that sees the list, with filters, and as the one page or several."""

import datetime

import pytest
from django.utils import timezone
from rest_framework import serializers

from accounts.models import Language, Skill
from config import lean
from mentees.models import HelpRequest
from mentees.serializers import HelpRequestSerializer
from mentees.services import help_request_create
from scheduling.models import MentoringSession, Slot
from scheduling.selectors import slot_list
from scheduling.serializers import SessionSerializer, SlotSerializer
from tests.chat.conftest import approved_conversation

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


def test_a_serializer_with_a_field_that_needs_an_object_is_served_by_drf():
    class WithMethod(serializers.ModelSerializer):
        shout = serializers.SerializerMethodField()

        class Meta:
            model = Slot
            fields = ["id", "shout"]

        def get_shout(self, obj) -> str:
            return obj.topic.upper()

    class Nested(serializers.ModelSerializer):
        organisation_name = serializers.CharField(source="organisation.name")

        class Meta:
            model = Slot
            fields = ["id", "organisation_name"]

    assert lean.lean_plan(WithMethod) is None
    assert lean.lean_plan(Nested) is None
