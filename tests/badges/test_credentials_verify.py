"""Bad input to the verifier: it says MALFORMED or TOO_LARGE and never raises."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badges.credentials import baking, data_integrity, keys, vcjwt
from badges.credentials.verify import MAX_DEPTH, MAX_INPUT_BYTES, Reason, Verification, reason_message, verify
from tests.badges.credential_cast import CASA, CASA_PRIVATE, NOW, credential, not_revoked, resolve_key

REFUSED = {Reason.MALFORMED, Reason.TOO_LARGE}


def check(data):
    return verify(data, resolve_key=resolve_key, is_revoked=not_revoked, now=NOW)


def deeply_nested(depth):
    return "[" * depth + "]" * depth


TOKEN = vcjwt.sign(credential(), CASA_PRIVATE, keys.jwk_id(CASA.id))
SIGNED = data_integrity.add_proof(credential(), CASA_PRIVATE, keys.multikey_id(CASA.id), NOW)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("", Reason.MALFORMED),
        ("   ", Reason.MALFORMED),
        ("hello", Reason.MALFORMED),
        ("a.b.c", Reason.MALFORMED),
        ("{", Reason.MALFORMED),
        ("[]", Reason.MALFORMED),
        ("{}", Reason.MALFORMED),
        ('{"proof": 1}', Reason.MALFORMED),
        ("{" + '"a":' * 5000 + "1" + "}" * 5000, Reason.MALFORMED),
        ('{"a": ' + deeply_nested(100) + "}", Reason.MALFORMED),
        ('{"a": ' + deeply_nested(100_000) + "}", Reason.MALFORMED),
        (b"\xff\xfe\x00garbage\x00", Reason.MALFORMED),
        (bytes(range(256)), Reason.MALFORMED),
        ("x" * (MAX_INPUT_BYTES + 1), Reason.TOO_LARGE),
        (b"{" * (MAX_INPUT_BYTES + 1), Reason.TOO_LARGE),
        ("é" * (MAX_INPUT_BYTES // 2 + 1), Reason.TOO_LARGE),
        (None, Reason.MALFORMED),
        (42, Reason.MALFORMED),
        ([TOKEN], Reason.MALFORMED),
        ({"not": "a credential"}, Reason.MALFORMED),
        ({"bad": {1, 2}}, Reason.MALFORMED),
        ({**SIGNED, "issuer": 7}, Reason.MALFORMED),
        ({**SIGNED, "issuer": {"id": ["x"]}}, Reason.MALFORMED),
        (TOKEN[:-1], Reason.TAMPERED),
        (TOKEN.split(".")[0] + ".e30." + TOKEN.split(".")[2], Reason.MALFORMED),
        ("eyJhbGciOiJFZERTQSJ9.bm90IGpzb24.AAAA", Reason.MALFORMED),
        (TOKEN + "." + TOKEN, Reason.MALFORMED),
        ("<svg", Reason.MALFORMED),
        ('<svg xmlns="http://www.w3.org/2000/svg"/>', Reason.MALFORMED),
    ],
)
def test_bad_input_is_refused_with_a_reason(data, reason, caplog):
    result = check(data)

    assert isinstance(result, Verification)
    assert result.reason is reason
    assert not result.valid
    assert result.message
    # a refusal the verifier foresaw is not logged as a failure of its own
    assert not [record for record in caplog.records if record.name == "badges.credentials.verify"]


@pytest.mark.parametrize(
    ("change", "reasons"),
    [
        ({"type": "StatusList2021Entry"}, {Reason.STATUS_UNAVAILABLE}),
        ({"statusPurpose": "suspension"}, {Reason.STATUS_UNAVAILABLE}),
        ({"statusListIndex": "\u0663"}, {Reason.MALFORMED, Reason.SCHEMA}),  # an Arabic-Indic three
        ({"statusListIndex": 3}, {Reason.MALFORMED, Reason.SCHEMA}),
        ({"statusListCredential": 7}, {Reason.MALFORMED, Reason.SCHEMA}),
    ],
)
def test_a_status_entry_we_cannot_check_is_never_valid(change, reasons, caplog):
    issued = credential()
    issued["credentialStatus"].update(change)

    result = check(vcjwt.sign(issued, CASA_PRIVATE, keys.jwk_id(CASA.id)))

    assert result.reason in reasons
    assert not [record for record in caplog.records if record.name == "badges.credentials.verify"]


def test_json_of_exactly_the_largest_size_is_read():
    text = '{"a": "' + "x" * (MAX_INPUT_BYTES - 9) + '"}'
    assert len(text.encode("utf-8")) == MAX_INPUT_BYTES

    assert check(text).reason is Reason.MALFORMED  # read, and found to be no credential


@pytest.mark.parametrize("depth", [MAX_DEPTH, MAX_DEPTH + 1])
@pytest.mark.parametrize("container", [list, dict])
def test_nesting_beyond_the_limit_is_malformed_and_up_to_it_is_read(depth, container):
    # a signed credential with one more field, whose deepest value sits `depth` levels down
    value: object = 0
    for _ in range(depth - 2):
        value = [value] if container is list else {"a": value}
    changed = {**SIGNED, "extra": value}

    result = check(changed)

    assert result.reason is (Reason.MALFORMED if depth > MAX_DEPTH else Reason.TAMPERED)


def test_the_form_is_named_once_it_is_recognised_and_the_credential_once_its_signature_holds():
    unreadable, tampered = check("hello"), check(TOKEN[:-1])
    revoked = verify(TOKEN, resolve_key=resolve_key, is_revoked=lambda url, index: True, now=NOW)

    assert (unreadable.form, unreadable.credential) == (None, None)
    assert (tampered.reason, tampered.form, tampered.credential) == (Reason.TAMPERED, "jwt", None)
    assert (revoked.reason, revoked.form, revoked.credential["id"]) == (Reason.REVOKED, "jwt", credential()["id"])
    assert (check(TOKEN).form, check(SIGNED).form, check(json.dumps(SIGNED)).form) == ("jwt", "json", "json")
    svg = '<svg xmlns="http://www.w3.org/2000/svg"/>'
    assert (check(baking.bake(svg, SIGNED)).form, check(baking.bake(svg, TOKEN)).form) == ("svg", "svg")
    assert check("\ufeff" + TOKEN + "\n").valid  # a byte order mark from a text editor
    assert check(TOKEN).message == reason_message(Reason.VALID)


def test_input_of_exactly_the_largest_size_is_read_and_letters_count_as_their_utf8_bytes():
    assert check(b" " * MAX_INPUT_BYTES).reason is Reason.MALFORMED  # read, and found to be no credential
    assert check(" " * MAX_INPUT_BYTES).reason is Reason.MALFORMED
    assert check("é" * (MAX_INPUT_BYTES // 2)).reason is Reason.MALFORMED
    # about half the limit in UTF-8, one and a half times it as ASCII escapes
    assert check({"a": "é" * (MAX_INPUT_BYTES // 4)}).reason is Reason.MALFORMED


def test_a_dict_nested_too_deeply_to_serialise_is_malformed():
    nested = {}
    for _ in range(100_000):
        nested = {"a": nested}

    assert check(nested).reason is Reason.MALFORMED


def test_a_status_index_that_is_not_a_number_is_malformed():
    issued = credential()
    issued["credentialStatus"]["statusListIndex"] = "seven"

    assert check(vcjwt.sign(issued, CASA_PRIVATE, keys.jwk_id(CASA.id))).reason in {Reason.MALFORMED, Reason.SCHEMA}


@pytest.mark.parametrize("error", [RuntimeError("database down"), RecursionError()])
def test_a_resolver_or_status_callback_that_raises_does_not_escape(error):
    def broken(*args):
        raise error

    for result in (
        verify(TOKEN, resolve_key=broken, is_revoked=not_revoked, now=NOW),
        verify(TOKEN, resolve_key=resolve_key, is_revoked=broken, now=NOW),
    ):
        assert (result.valid, result.reason, result.form, result.credential) == (False, Reason.MALFORMED, "jwt", None)
        assert result.message == reason_message(Reason.MALFORMED)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=500), st.binary(max_size=500), JSON_VALUES))
def test_arbitrary_input_never_raises_and_is_never_valid(data):
    result = check(data)

    assert result.reason in REFUSED | {Reason.UNKNOWN_KEY, Reason.TAMPERED}
    assert not result.valid


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["credentialSubject", "issuer", "validFrom", "@context", "type", "id", "name"]), JSON_VALUES)
def test_any_change_to_a_signed_json_credential_is_caught(field, value):
    changed = json.loads(json.dumps(SIGNED))
    changed[field] = value

    result = check(changed)

    assert not result.valid or changed == SIGNED


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=len(TOKEN) - 1), st.sampled_from("AQgw_-xyz.=!"))
def test_any_change_to_a_token_is_caught(position, char):
    changed = TOKEN[:position] + char + TOKEN[position + 1 :]

    result = check(changed)

    assert result.valid == (changed == TOKEN) or (result.valid and _same_bytes(changed))


def _same_bytes(token):
    """Base64url's last character can carry unused bits: a change there may decode to the same bytes."""
    return [keys.b64url_decode(part) for part in token.split(".")] == [
        keys.b64url_decode(part) for part in TOKEN.split(".")
    ]


@pytest.mark.parametrize("language", ["es", "fr", "ar", "fa", "uk"])
def test_every_reason_is_explained_in_the_holders_language(language):
    from django.utils import translation

    from badges.credentials.verify import reason_message

    with translation.override("en"):
        english = {reason: reason_message(reason) for reason in Reason}
    with translation.override(language):
        translated = {reason: reason_message(reason) for reason in Reason}

    assert [reason for reason in Reason if translated[reason] == english[reason]] == []
