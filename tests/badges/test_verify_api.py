"""The public verifier: a credential in any form, pasted or uploaded, is valid or says exactly why not;
what is not a credential at all gets a 400 with a clear message, never a 500."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from badges import issuing, services
from badges.credentials import keys, vcjwt
from badges.models import Milestone

pytestmark = pytest.mark.django_db
URL = "/api/badges/verify/"


@pytest.fixture
def award(bob):
    return services.award_milestone(user=bob.user, milestone=Milestone.FIRST_SESSION)


class TestValid:
    def test_a_jwt_is_valid(self, api, award):
        response = api(None).post(URL, {"credential": issuing.credential_jwt(award)}, format="json")

        assert response.status_code == 200
        assert response.json()["valid"] is True
        assert response.json()["reason"] == "valid"
        assert response.json()["form"] == "jwt"

    def test_a_json_credential_as_an_object_or_as_text_is_valid(self, api, award):
        signed = issuing.credential_json(award)

        for credential in (signed, json.dumps(signed)):
            response = api(None).post(URL, {"credential": credential}, format="json")
            assert response.json()["valid"] is True
            assert response.json()["form"] == "json"

    @pytest.mark.parametrize("name", ["badge.svg", "badge.jwt", "badge.json"])
    def test_an_uploaded_file_is_valid(self, api, award, name):
        content = {
            "badge.svg": issuing.baked_svg(award),
            "badge.jwt": issuing.credential_jwt(award),
            "badge.json": json.dumps(issuing.credential_json(award)),
        }[name]
        upload = SimpleUploadedFile(name, content.encode())

        response = api(None).post(URL, {"file": upload}, format="multipart")

        assert response.status_code == 200
        assert response.json()["valid"] is True


class TestNotValid:
    def test_a_revoked_credential(self, api, carol, award):
        token = issuing.credential_jwt(award)
        services.award_revoke(award_id=award.pk, by=carol, reason="mistake")

        assert api(None).post(URL, {"credential": token}, format="json").json()["reason"] == "revoked"

    def test_a_tampered_credential(self, api, award):
        signed = issuing.credential_json(award)
        signed["issuer"]["name"] = "Someone else"

        assert api(None).post(URL, {"credential": signed}, format="json").json()["reason"] == "tampered"

    def test_a_credential_signed_with_a_foreign_key(self, api, award):
        key = issuing.issuer_key(award.organisation)  # the issuer has its own key
        foreign = keys.generate_private_key()
        kid = keys.jwk_id(issuing.issuer_did(award.organisation), key.kid)
        token = vcjwt.sign(issuing.credential(award), foreign, kid)

        body = api(None).post(URL, {"credential": token}, format="json").json()
        assert body["valid"] is False
        assert body["reason"] == "unknown_key"  # the JWT carries the signer's key, which the issuer does not publish

    def test_a_json_credential_signed_with_a_foreign_key_under_the_issuers_name(self, api, award):
        from badges.credentials import data_integrity

        key = issuing.issuer_key(award.organisation)
        method = keys.multikey_id(issuing.issuer_did(award.organisation), key.kid)
        signed = data_integrity.add_proof(
            issuing.credential(award), keys.generate_private_key(), method, timezone.now()
        )

        assert api(None).post(URL, {"credential": signed}, format="json").json()["reason"] == "tampered"

    def test_another_organisations_key_is_unknown_for_this_issuer(self, api, award, org_b):
        issuing.issuer_key(award.organisation)
        other = issuing.issuer_key(org_b)
        kid = keys.jwk_id(issuing.issuer_did(org_b), other.kid)
        token = vcjwt.sign(issuing.credential(award), bytes(other.private_key), kid)

        assert api(None).post(URL, {"credential": token}, format="json").json()["reason"] == "unknown_key"

    def test_an_expired_credential(self, api, award):
        credential = issuing.credential(award)
        credential["validUntil"] = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        key = issuing.issuer_key(award.organisation)
        kid = keys.jwk_id(issuing.issuer_did(award.organisation), key.kid)
        token = vcjwt.sign(credential, bytes(key.private_key), kid)

        assert api(None).post(URL, {"credential": token}, format="json").json()["reason"] == "expired"

    def test_a_credential_not_yet_valid(self, api, award):
        award.issued_at = timezone.now() + timedelta(days=3)
        token = issuing.credential_jwt(award)

        assert api(None).post(URL, {"credential": token}, format="json").json()["reason"] == "not_yet_valid"

    def test_text_that_is_no_credential_is_malformed(self, api):
        body = api(None).post(URL, {"credential": "hello there"}, format="json").json()

        assert body["valid"] is False
        assert body["reason"] == "malformed"
        assert body["message"]


class TestBadInput:
    @pytest.mark.parametrize(
        "payload",
        [
            {},
            {"credential": None},
            {"credential": 42},
            {"credential": ["a", "list"]},
            {"credential": ""},
            {"credential": "   "},
            {"credential": "x" * (300 * 1024)},
            {"credential": "a\x00b"},
            {"credential": "[1, 2]"},
            {"credential": "{not json"},
        ],
    )
    def test_what_is_not_a_credential_gets_400_with_a_message(self, api, payload):
        response = api(None).post(URL, payload, format="json")

        assert response.status_code == 400
        message = next(iter(response.json().values()))
        assert isinstance(message, list)
        assert message[0]

    def test_deep_nesting_gets_400(self, api):
        deep = "[" * 5000 + "]" * 5000
        response = api(None).generic("POST", URL, f'{{"credential": {deep}}}', content_type="application/json")

        assert response.status_code == 400

    def test_binary_upload_gets_400(self, api):
        upload = SimpleUploadedFile("badge.png", bytes(range(256)) * 10)

        response = api(None).post(URL, {"file": upload}, format="multipart")

        assert response.status_code == 400
        assert "file" in response.json()

    def test_a_huge_upload_gets_400(self, api):
        upload = SimpleUploadedFile("badge.svg", b"<svg>" + b" " * (300 * 1024) + b"</svg>")

        assert api(None).post(URL, {"file": upload}, format="multipart").status_code == 400

    def test_an_svg_without_a_credential_is_malformed_not_an_error(self, api):
        upload = SimpleUploadedFile("badge.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>')

        response = api(None).post(URL, {"file": upload}, format="multipart")

        assert response.status_code == 200
        assert response.json()["reason"] == "malformed"

    def test_an_svg_with_an_entity_bomb_is_refused_calmly(self, api):
        bomb = (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg">&lol2;</svg>'
        )
        response = api(None).post(URL, {"file": SimpleUploadedFile("bomb.svg", bomb)}, format="multipart")

        assert response.status_code == 200
        assert response.json()["valid"] is False


def test_the_verifier_is_throttled(api, settings, award):
    from rest_framework.settings import api_settings

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "badges": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    codes = [api(None).post(URL, {"credential": "x.y.z"}, format="json").status_code for _ in range(3)]

    assert codes[-1] == 429
