import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def login(client):
    """`login(user)` logs the test client in through the real log-in page and returns it."""

    def do(who):
        user = getattr(who, "user", who)
        response = client.post("/account/login/", {"username": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.content[:500]
        return client

    return do


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    """`make install` compiles the catalogues; a bare pytest run gets them compiled here."""
    from django.core.management import call_command

    call_command("compile_catalogues", verbosity=0)


@pytest.fixture
def translators(org_a, carol):
    """A badge class of the organisation, for translating for newcomers (a kind of nomination)."""
    from badges.models import Contribution
    from badges.services import badge_class_create

    return badge_class_create(
        organisation=org_a,
        by=carol,
        name="Language bridge",
        description="Translated for newcomers.",
        criteria="A coordinator confirmed it.",
        language="en",
        contribution=Contribution.TRANSLATED,
    )
