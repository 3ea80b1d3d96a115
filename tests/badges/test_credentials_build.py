import json

import pytest

from badges.credentials import build, keys, loader
from tests.badges.credential_cast import CASA, CASA_PRIVATE, NOW, STATUS_URL, credential


def test_it_builds_an_open_badge_credential_valid_against_the_ob_schema():
    issued = credential()

    assert build.validate(issued) == []
    assert issued["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert issued["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert issued["issuer"]["id"] == CASA.id
    assert issued["validFrom"] == "2026-12-05T12:00:00Z"
    assert issued["credentialSubject"]["type"] == ["AchievementSubject"]
    assert issued["credentialSubject"]["achievement"]["criteria"] == {
        "narrative": "Helped at least one peer, confirmed by a coordinator."
    }
    assert issued["credentialStatus"] == {
        "id": f"{STATUS_URL}#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": STATUS_URL,
    }


def test_it_names_the_recipient_by_a_salted_hash_never_the_address():
    issued = credential()

    assert issued["credentialSubject"]["identifier"] == [
        {
            "type": "IdentityObject",
            "identityHash": build.hash_identity("bob@example.org", "pepper"),
            "identityType": "emailAddress",
            "hashed": True,
            "salt": "pepper",
        }
    ]
    assert "bob@example.org" not in json.dumps(issued)


def test_identity_hash_is_sha256_of_the_identity_then_the_salt():
    # echo -n 'bob@example.orgpepper' | sha256sum
    assert build.hash_identity("bob@example.org", "pepper") == (
        "sha256$" + __import__("hashlib").sha256(b"bob@example.orgpepper").hexdigest()
    )


def test_optional_parts_are_left_out_and_the_result_still_validates():
    issued = credential(valid_until=None, status=None, evidence=[])

    assert {"validUntil", "credentialStatus", "evidence"}.isdisjoint(issued)
    assert build.validate(issued) == []


def test_validate_says_where_a_credential_breaks_the_schema():
    broken = credential()
    del broken["credentialSubject"]["achievement"]
    broken["@context"] = ["https://www.w3.org/ns/credentials/v2"]

    errors = build.validate(broken)

    assert any(error.startswith("@context") for error in errors)
    assert any(error.startswith("credentialSubject") and "achievement" in error for error in errors)


def test_it_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="naive"):
        credential(valid_from=NOW.replace(tzinfo=None))


def test_the_issuer_profile_validates_against_the_profile_schema_and_names_its_key():
    public = keys.public_key(CASA_PRIVATE)

    profile = build.issuer_profile(
        CASA, public, did_document_url="https://badges.example.org/orgs/casa-abierta/did.json"
    )

    assert build.validate_profile(profile) == []
    assert profile["verificationMethod"][0]["publicKeyMultibase"] == keys.multikey(public)
    text = json.dumps(profile)
    assert CASA_PRIVATE.hex() not in text
    assert keys.b64url(CASA_PRIVATE) not in text


def test_every_signed_term_is_defined_by_the_bundled_contexts():
    # safe mode: nothing of the credential is silently left out of what a Data Integrity proof signs
    nquads = loader.canonical_nquads(credential())

    assert "Peer helper" in nquads
    assert "http://example.org" not in nquads
    assert "_:c14n" in nquads


def test_an_undefined_term_is_an_error_not_silently_dropped():
    with pytest.raises(loader.UndefinedTerm):
        loader.canonical_nquads({**credential(), "favouriteColour": "green"})


def test_the_loader_refuses_contexts_that_are_not_bundled(monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("tried the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    document = {**credential(), "@context": [loader.VC_V2, "https://evil.example/context.json"]}

    with pytest.raises(loader.ContextNotBundled):
        loader.canonical_nquads(document)


def test_the_pure_python_jsonschema_validator_agrees_independently():
    from pathlib import Path

    from jsonschema import Draft201909Validator

    schemas = Path(build.__file__).resolve().parent / "schemas"
    credential_schema = json.loads((schemas / "achievementcredential.schema.json").read_text())
    profile_schema = json.loads((schemas / "profile.schema.json").read_text())
    broken = credential()
    del broken["credentialSubject"]["achievement"]

    assert list(Draft201909Validator(credential_schema).iter_errors(credential())) == []
    assert list(Draft201909Validator(credential_schema).iter_errors(credential(status=None, evidence=[]))) == []
    assert list(Draft201909Validator(credential_schema).iter_errors(broken)) != []
    assert build.validate(broken) != []
    profile = build.issuer_profile(CASA, keys.public_key(CASA_PRIVATE))
    assert list(Draft201909Validator(profile_schema).iter_errors(profile)) == []


# SHA-256 of the files in ../shared/contracts/openbadges-3.0/ (copied unchanged): pinned, so the check runs in
# a clone that has no shared/ folder beside it too.
SHARED_CONTRACT = {
    "schemas/achievementcredential.schema.json": "5753fb3ecf7d024ed273dd364bd683f483eb47257e718e6618832cf89eb2083a",
    "schemas/profile.schema.json": "9b05049f720b8ad9bd7aed358ca59c643c34bf1cec0b29fd7baa8bf98efed164",
    "contexts/ob-v3p0-context-3.0.3.json": "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761",
}


def test_the_bundled_schemas_and_context_are_the_shared_contract_unchanged():
    import hashlib
    from pathlib import Path

    here = Path(build.__file__).resolve().parent
    for name, digest in SHARED_CONTRACT.items():
        assert hashlib.sha256((here / name).read_bytes()).hexdigest() == digest, name
