import pytest

from badges.credentials import baking, data_integrity, keys, vcjwt
from badges.credentials.verify import Reason, verify
from tests.badges.credential_cast import CASA, CASA_PRIVATE, NOW, credential, not_revoked, resolve_key

SVG = (
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
    '<title>Peer helper</title><circle r="30"/></svg>'
)


def token():
    return vcjwt.sign(credential(), CASA_PRIVATE, keys.jwk_id(CASA.id))


def signed():
    return data_integrity.add_proof(credential(), CASA_PRIVATE, keys.multikey_id(CASA.id), NOW)


def test_the_compact_form_round_trips_and_verifies():
    baked = baking.bake(SVG, token())

    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert f'<openbadges:credential verify="{token()}">' in baked
    assert baking.unbake(baked) == token()
    result = verify(baked, resolve_key=resolve_key, is_revoked=not_revoked, now=NOW)
    assert result.reason is Reason.VALID
    assert result.form == "svg"


def test_the_embedded_form_round_trips_as_cdata_and_verifies_even_with_cdata_ends_in_the_text():
    baked = baking.bake(SVG, signed())

    assert "<![CDATA[" in baked
    assert "]]>" not in baked.split("<![CDATA[")[1].split("]]></openbadges:credential>")[0]
    assert baking.unbake(baked) == signed()
    assert baking.unbake(baked.encode()) == signed()
    assert verify(baked.encode(), resolve_key=resolve_key, is_revoked=not_revoked, now=NOW).reason is Reason.VALID


def test_the_rest_of_the_image_is_kept():
    baked = baking.bake(SVG, token())

    assert baked.startswith('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"')
    assert baked.endswith('<title>Peer helper</title><circle r="30"/></svg>')


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"/>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"'
        ' data-x="a>b"></svg>',
    ],
)
def test_it_bakes_empty_svgs_and_respects_quoted_angle_brackets(svg):
    assert baking.unbake(baking.bake(svg, token())) == token()


def test_an_svg_is_baked_only_once():
    with pytest.raises(baking.BakingError, match="already"):
        baking.bake(baking.bake(SVG, token()), token())


@pytest.mark.parametrize(
    "svg",
    [
        "",
        "not xml",
        "<html/>",
        SVG,  # nothing baked in
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="https://purl.imsglobal.org/ob/v3p0">'
        '<o:credential verify="a.b.c"/><o:credential verify="a.b.c"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="https://purl.imsglobal.org/ob/v3p0">'
        '<o:credential verify="not a jwt"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="https://purl.imsglobal.org/ob/v3p0">'
        "<o:credential>[1, 2]</o:credential></svg>",
        '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>',
        '<!DOCTYPE svg SYSTEM "file:///etc/passwd"><svg xmlns="http://www.w3.org/2000/svg"/>',
        b"\x89PNG\r\n\x1a\n\x00\x00",
        "<svg>" * 200_000,
    ],
)
def test_unbaking_refuses_anything_but_one_credential_in_a_plain_svg(svg):
    with pytest.raises(baking.BakingError):
        baking.unbake(svg)
