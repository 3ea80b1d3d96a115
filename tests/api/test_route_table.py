"""Default deny: every route is in this table, which says who may call it; anonymous callers are refused
wherever the table does not say "anyone", and other roles wherever it names one role.

Object visibility (owner, or coordinator of the same organisation; 404 for everyone else) is tested
per endpoint in the app tests; this table is the map.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.conftest import make_coordinator, make_mentee, make_volunteer

ANYONE, SIGNED_IN = "anyone", "signed-in"
VOLUNTEER, MENTEE, COORDINATOR = frozenset({"volunteer"}), frozenset({"mentee"}), frozenset({"coordinator"})
PAIR_MEMBERS = VOLUNTEER | MENTEE
PUBLISHERS = COORDINATOR | VOLUNTEER
ROLES = ("volunteer", "mentee", "coordinator")

# (path, method): (who may call it, what they reach)
API = {
    ("/api/auth/csrf/", "GET"): (ANYONE, "sets the CSRF cookie before a session log-in"),
    ("/api/auth/login/", "POST"): (ANYONE, "starts a session"),
    ("/api/auth/logout/", "POST"): (SIGNED_IN, "ends all own sessions and tokens"),
    ("/api/auth/token/", "POST"): (ANYONE, "own token, with credentials"),
    ("/api/auth/token/", "DELETE"): (SIGNED_IN, "own token"),
    ("/api/auth/password/", "POST"): (SIGNED_IN, "own password"),
    ("/api/auth/me/", "GET"): (SIGNED_IN, "own account"),
    ("/api/auth/me/", "PATCH"): (SIGNED_IN, "own account's interface language"),
    ("/api/me/export/", "GET"): (SIGNED_IN, "own data"),
    ("/api/me/erase/", "POST"): (SIGNED_IN, "own account"),
    ("/api/vocabulary/languages/", "GET"): (ANYONE, "shared vocabulary"),
    ("/api/vocabulary/languages/{code}/", "GET"): (ANYONE, "shared vocabulary"),
    ("/api/vocabulary/skills/", "GET"): (ANYONE, "shared vocabulary"),
    ("/api/vocabulary/skills/{slug}/", "GET"): (ANYONE, "shared vocabulary"),
    ("/api/organisations/", "GET"): (ANYONE, "partner organisations"),
    ("/api/organisations/{id}/", "GET"): (ANYONE, "partner organisations"),
    ("/api/signup/volunteer/", "POST"): (ANYONE, "creates own account"),
    ("/api/signup/mentee/", "POST"): (ANYONE, "creates own account"),
    ("/api/me/become-volunteer/", "POST"): (MENTEE, "own account, once the mentoring is over"),
    ("/api/volunteers/", "GET"): (SIGNED_IN, "own profile; coordinators: their organisation's"),
    ("/api/volunteers/{id}/", "GET"): (SIGNED_IN, "own profile; coordinators: their organisation's"),
    ("/api/volunteers/{id}/", "PUT"): (SIGNED_IN, "own profile only"),
    ("/api/volunteers/{id}/", "PATCH"): (SIGNED_IN, "own profile only"),
    ("/api/volunteers/me/", "GET"): (VOLUNTEER, "own profile"),
    ("/api/volunteers/me/", "PATCH"): (VOLUNTEER, "own profile"),
    ("/api/volunteers/{id}/vetting/", "POST"): (COORDINATOR, "their organisation's volunteers"),
    ("/api/mentees/", "GET"): (SIGNED_IN, "own profile; coordinators: their organisation's"),
    ("/api/mentees/{id}/", "GET"): (SIGNED_IN, "own profile; coordinators: their organisation's"),
    ("/api/mentees/{id}/", "PUT"): (SIGNED_IN, "own profile only"),
    ("/api/mentees/{id}/", "PATCH"): (SIGNED_IN, "own profile only"),
    ("/api/mentees/me/", "GET"): (MENTEE, "own profile"),
    ("/api/mentees/me/", "PATCH"): (MENTEE, "own profile"),
    ("/api/mentees/{id}/consent/", "POST"): (COORDINATOR, "their organisation's mentees"),
    ("/api/mentees/{id}/consent/", "DELETE"): (COORDINATOR, "their organisation's mentees"),
    ("/api/help-requests/", "GET"): (SIGNED_IN, "own requests; coordinators: their organisation's"),
    ("/api/help-requests/", "POST"): (MENTEE, "files own request"),
    ("/api/help-requests/{id}/", "GET"): (SIGNED_IN, "own requests; coordinators: their organisation's"),
    ("/api/help-requests/{id}/", "PUT"): (MENTEE, "own open requests"),
    ("/api/help-requests/{id}/", "PATCH"): (MENTEE, "own open requests"),
    ("/api/help-requests/{id}/close/", "POST"): (MENTEE, "own requests"),
    ("/api/availability/", "GET"): (SIGNED_IN, "own windows"),
    ("/api/availability/", "PUT"): (SIGNED_IN, "own windows"),
    ("/api/availability/{user_id}/", "GET"): (SIGNED_IN, "own, current partners'; coordinators: organisation's"),
    ("/api/slots/", "GET"): (SIGNED_IN, "own organisation's slots"),
    ("/api/slots/", "POST"): (PUBLISHERS, "coordinators: group slots; volunteers: own one-to-one slots"),
    ("/api/slots/{id}/", "GET"): (SIGNED_IN, "own organisation's slots"),
    ("/api/slots/{id}/", "PUT"): (SIGNED_IN, "organisation's coordinators, or the hosting volunteer"),
    ("/api/slots/{id}/", "PATCH"): (SIGNED_IN, "organisation's coordinators, or the hosting volunteer"),
    ("/api/slots/{id}/", "DELETE"): (SIGNED_IN, "organisation's coordinators, or the hosting volunteer"),
    ("/api/slots/{id}/signup/", "POST"): (VOLUNTEER, "own organisation's slots"),
    ("/api/slots/{id}/signup/", "DELETE"): (VOLUNTEER, "own sign-up"),
    ("/api/slots/{id}/booking/", "POST"): (MENTEE, "own organisation's slots"),
    ("/api/slots/{id}/booking/", "DELETE"): (MENTEE, "own booking"),
    ("/api/match-runs/", "GET"): (COORDINATOR, "own organisation's runs"),
    ("/api/match-runs/", "POST"): (COORDINATOR, "runs for own organisation"),
    ("/api/match-runs/{id}/", "GET"): (COORDINATOR, "own organisation's runs"),
    ("/api/pairings/", "GET"): (SIGNED_IN, "members: own once approved; coordinators: organisation's"),
    ("/api/pairings/{id}/", "GET"): (SIGNED_IN, "members: own once approved; coordinators: organisation's"),
    ("/api/pairings/{id}/approve/", "POST"): (COORDINATOR, "own organisation's proposals"),
    ("/api/pairings/{id}/reject/", "POST"): (COORDINATOR, "own organisation's proposals"),
    ("/api/pairings/{id}/pin/", "POST"): (COORDINATOR, "own organisation's proposals"),
    ("/api/pairings/{id}/end/", "POST"): (SIGNED_IN, "members or the organisation's coordinators"),
    ("/api/pairings/{id}/suggested-times/", "GET"): (SIGNED_IN, "members or the organisation's coordinators"),
    ("/api/sessions/", "GET"): (SIGNED_IN, "members: own pairing's; coordinators: organisation's"),
    ("/api/sessions/", "POST"): (PAIR_MEMBERS, "own pairing's"),
    ("/api/sessions/{id}/", "GET"): (SIGNED_IN, "members: own pairing's; coordinators: organisation's"),
    ("/api/sessions/{id}/held/", "POST"): (PAIR_MEMBERS, "own pairing's"),
    ("/api/sessions/{id}/missed/", "POST"): (PAIR_MEMBERS, "own pairing's"),
    ("/api/sessions/{id}/cancel/", "POST"): (PAIR_MEMBERS, "own pairing's"),
    ("/api/conversations/", "GET"): (SIGNED_IN, "members: own; coordinators: organisation's"),
    ("/api/conversations/{id}/", "GET"): (SIGNED_IN, "members: own; coordinators: organisation's (logged)"),
    ("/api/conversations/{id}/messages/", "GET"): (SIGNED_IN, "members: own; coordinators: organisation's (logged)"),
    ("/api/conversations/{id}/messages/", "POST"): (SIGNED_IN, "members while open; organisation's coordinators"),
    ("/api/conversations/{id}/pause/", "POST"): (COORDINATOR, "own organisation's conversations"),
    ("/api/messages/{id}/withdraw/", "POST"): (SIGNED_IN, "own messages"),
    ("/api/messages/{id}/report/", "POST"): (SIGNED_IN, "messages of own conversations"),
    ("/api/messages/{id}/release/", "POST"): (COORDINATOR, "own organisation's held messages"),
    ("/api/messages/{id}/reject/", "POST"): (COORDINATOR, "own organisation's held messages"),
    ("/api/messages/held/", "GET"): (COORDINATOR, "own organisation's held messages"),
    ("/api/reports/", "GET"): (COORDINATOR, "own organisation's reports"),
    ("/api/reports/{id}/resolve/", "POST"): (COORDINATOR, "own organisation's reports"),
    ("/api/safeguarding-log/", "GET"): (COORDINATOR, "own organisation's safeguarding log"),
    ("/api/safeguarding-log/{id}/", "GET"): (COORDINATOR, "own organisation's safeguarding log"),
    ("/api/safeguarding-log/export/", "GET"): (COORDINATOR, "own organisation's safeguarding log, as CSV"),
    ("/api/badge-classes/", "GET"): (SIGNED_IN, "own organisation's badge classes"),
    ("/api/badge-classes/", "POST"): (COORDINATOR, "badge classes of own organisation"),
    ("/api/badge-classes/{id}/", "GET"): (SIGNED_IN, "own organisation's badge classes"),
    ("/api/badge-classes/{id}/", "PUT"): (COORDINATOR, "own organisation's badge classes"),
    ("/api/badge-classes/{id}/", "PATCH"): (COORDINATOR, "own organisation's badge classes"),
    ("/api/badge-classes/{id}/retire/", "POST"): (COORDINATOR, "own organisation's badge classes"),
    ("/api/awards/", "GET"): (SIGNED_IN, "own awards (the wallet); coordinators: organisation's"),
    ("/api/awards/{id}/", "GET"): (SIGNED_IN, "own awards; coordinators: organisation's"),
    ("/api/awards/{award_id}/credential.jwt", "GET"): (SIGNED_IN, "own awards; coordinators: organisation's"),
    ("/api/awards/{award_id}/credential.json", "GET"): (SIGNED_IN, "own awards; coordinators: organisation's"),
    ("/api/awards/{award_id}/badge.svg", "GET"): (SIGNED_IN, "own awards; coordinators: organisation's"),
    ("/api/awards/{id}/share/", "POST"): (SIGNED_IN, "own awards only"),
    ("/api/awards/{id}/share/", "DELETE"): (SIGNED_IN, "own awards only"),
    ("/api/awards/{id}/revoke/", "POST"): (COORDINATOR, "own organisation's awards"),
    ("/api/nominations/", "GET"): (SIGNED_IN, "made by self; mentees: own approved; coordinators: organisation's"),
    ("/api/nominations/", "POST"): (PUBLISHERS, "volunteers: mentees they mentor; coordinators: organisation's"),
    ("/api/nominations/{id}/", "GET"): (SIGNED_IN, "made by self; mentees: own approved; coordinators: organisation's"),
    ("/api/nominations/{id}/approve/", "POST"): (COORDINATOR, "own organisation's nominations"),
    ("/api/nominations/{id}/reject/", "POST"): (COORDINATOR, "own organisation's nominations"),
    ("/api/badges/shared/{slug}/", "GET"): (ANYONE, "a badge its holder shared"),
    ("/api/badges/verify/", "POST"): (ANYONE, "verifies any credential"),
    ("/badges/issuers/{slug}/", "GET"): (ANYONE, "issuer profile (Open Badges)"),
    ("/badges/issuers/{slug}/did.json", "GET"): (ANYONE, "issuer's did:web document"),
    ("/badges/issuers/{slug}/jwks.json", "GET"): (ANYONE, "issuer's public keys"),
    ("/badges/status/{slug}/", "GET"): (ANYONE, "organisation's revocation status list"),
    ("/badges/classes/{badge_class_id}/", "GET"): (ANYONE, "a badge class as in credentials"),
    ("/badges/classes/{badge_class_id}/image.svg", "GET"): (ANYONE, "a badge class's image"),
}

# Routes outside the API schema.
OTHER = {
    "healthz": ANYONE,
    "readyz": ANYONE,
    "api/schema/": ANYONE,
    "api/docs/": ANYONE,
    "admin/": "staff (Django admin)",
    # The web pages (frontend/urls.py); who may use each is tested in tests/frontend/.
    "": ANYONE,
    "home/": SIGNED_IN,
    "i18n/setlang/": ANYONE,
    "account/login/": ANYONE,
    "account/logout/": SIGNED_IN,
    "account/password/": SIGNED_IN,
    "account/password/done/": SIGNED_IN,
    "account/password/reset/": ANYONE,
    "account/password/reset/sent/": ANYONE,
    "account/password/reset/<uidb64>/<token>/": ANYONE,
    "account/password/reset/complete/": ANYONE,
    "join/mentee/": ANYONE,
    "join/volunteer/": ANYONE,
    "my/help-requests/": "mentee",
    "my/profile/": SIGNED_IN,
    "coordinator/help-requests/": COORDINATOR,
    "coordinator/overview/": COORDINATOR,
    "coordinator/queues/": COORDINATOR,
    "coordinator/volunteers/<int:volunteer_id>/vetting/": COORDINATOR,
    "coordinator/mentees/<int:mentee_id>/consent/": COORDINATOR,
    "coordinator/safeguarding-log/": COORDINATOR,
    "coordinator/match-runs/": COORDINATOR,
    "coordinator/match-runs/<int:run_id>/": COORDINATOR,
    "coordinator/proposals/": COORDINATOR,
    "coordinator/pairings/<int:pairing_id>/approve/": COORDINATOR,
    "coordinator/pairings/<int:pairing_id>/pin/": COORDINATOR,
    "coordinator/pairings/<int:pairing_id>/reject/": COORDINATOR,
    "coordinator/held-messages/": COORDINATOR,
    "coordinator/held-messages/<int:message_id>/": COORDINATOR,
    "coordinator/reports/": COORDINATOR,
    "coordinator/reports/<int:report_id>/": COORDINATOR,
    "my/pairings/": "mentee, volunteer",
    "my/pairings/<int:pairing_id>/sessions/": "the pair",
    "my/sessions/<int:session_id>/": "the pair",
    "my/availability/": "mentee, volunteer",
    "my/data/": SIGNED_IN,
    "my/data/export/": SIGNED_IN,
    "slots/": "volunteer, mentee, coordinator (of the organisation)",
    "slots/new/": "coordinator, volunteer (of the organisation)",
    "slots/<int:slot_id>/": "volunteer, mentee (of the organisation)",
    "conversations/<int:conversation_id>/": "the pair, their coordinators",
    "conversations/<int:conversation_id>/messages/<int:message_id>/report/": "the pair, their coordinators",
    "my/badges/": "the holder (the wallet)",
    "my/badges/<int:award_id>/share/": "the holder",
    "my/badges/<int:award_id>/credential.jwt": "the holder, their organisation's coordinators",
    "my/badges/<int:award_id>/credential.json": "the holder, their organisation's coordinators",
    "my/badges/<int:award_id>/credential.svg": "the holder, their organisation's coordinators",
    "badges/shared/<str:slug>/": ANYONE + " (a badge its holder shared)",
    "badges/verify/": ANYONE,
    "nominations/new/": "volunteers (mentees they mentor), coordinators (of the organisation)",
    "coordinator/nominations/": COORDINATOR,
    "coordinator/nominations/<int:nomination_id>/approve/": COORDINATOR,
    "coordinator/nominations/<int:nomination_id>/reject/": COORDINATOR,
    "coordinator/badge-classes/": COORDINATOR,
    "coordinator/badge-classes/<int:badge_class_id>/retire/": COORDINATOR,
    "coordinator/awards/": COORDINATOR,
    "coordinator/awards/<int:award_id>/revoke/": COORDINATOR,
}


def schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {(path, method.upper()) for path, item in schema["paths"].items() for method in item}


def walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route == "admin/":
                yield route
                continue
            yield from walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "999999", path)


def test_every_api_operation_is_in_the_table_and_nothing_else_is():
    assert schema_operations() == set(API)


def test_every_route_is_in_the_schema_or_listed():
    api_prefixes = {re.sub(r"\{[^}]+\}", "", path).strip("/") for path, _method in API}
    unlisted = []
    for route in walk(get_resolver().url_patterns):
        plain = re.sub(r"\^|\$|\\|\(\?P<[^>]+>[^)]*\)|<[^>]+>|\[[^\]]*\]|\.\*|\+|\?|\(|\)", "", route).strip("/")
        plain = re.sub(r"/+", "/", plain)
        plain = re.sub(r"^api/v1/", "api/", plain)  # /api/v1/ serves what /api/ serves
        listed = plain in OTHER or plain + "/" in OTHER or route in OTHER
        in_api = any(plain.replace("/", "") == prefix.replace("/", "") for prefix in api_prefixes)
        if not (listed or in_api or plain.startswith("api/format")):
            unlisted.append(route)
    assert unlisted == []


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "method"), sorted(operation for operation, (who, _) in API.items() if who != ANYONE))
def test_anonymous_callers_are_refused(path, method):
    response = APIClient().generic(method, concrete(path), "{}", content_type="application/json")
    assert response.status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "method"), sorted(operation for operation, (who, _) in API.items() if who == ANYONE))
def test_public_operations_need_no_account(path, method):
    response = APIClient().generic(method, concrete(path), "{}", content_type="application/json")
    assert response.status_code not in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "method", "role"),
    sorted(
        (path, method, role)
        for (path, method), (who, _) in API.items()
        if isinstance(who, frozenset)
        for role in ROLES
        if role not in who
    ),
)
def test_other_roles_are_refused(org_a, path, method, role):
    user = {
        "coordinator": lambda: make_coordinator(org_a, "c@example.org", "C"),
        "volunteer": lambda: make_volunteer(org_a, "v@example.org", "V").user,
        "mentee": lambda: make_mentee(org_a, "m@example.org", "M").user,
    }[role]()
    client = APIClient()
    client.force_authenticate(user)
    response = client.generic(method, concrete(path), "{}", content_type="application/json")
    assert response.status_code == 403
