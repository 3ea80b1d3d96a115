"""The one place that maps badge models to the credential library (`badges.credentials`, pure, no ORM).

Here live the issuer's URLs and keys, the credential of an award in its three forms (VC-JWT, JSON with a
Data Integrity proof, baked SVG), the issuer profile, did:web document, JWKS and status list, and the
two look-ups verification needs (the key of a verification method, the revocation of a status entry).

URLs: every id in a credential is absolute, from BADGES_BASE_URL (a credential must name the same issuer
however it is downloaded). The issuer is `{base}/badges/issuers/{slug}/` (its OB Profile); its key is the
verification method `did:web:{host}:badges:issuers:{slug}#{kid}`, whose document is served at
`{base}/badges/issuers/{slug}/did.json` (the did:web rule for a path), and the same key as a JWKS at
`.../jwks.json`.
"""

import base64
import binascii
import datetime
import hashlib
import secrets
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Organisation, User
from badges import svg
from badges.models import Award, IssuerKey


def base_url() -> str:
    return settings.BADGES_BASE_URL.rstrip("/")


def issuer_url(organisation: Organisation) -> str:
    return f"{base_url()}/badges/issuers/{organisation.slug}/"


def issuer_did(organisation: Organisation) -> str:
    parts = urlsplit(base_url())
    host = quote(parts.netloc, safe="")  # did:web encodes a port's colon
    path = [segment for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", host, *path, "badges", "issuers", organisation.slug])


def verification_method(key: IssuerKey, organisation: Organisation) -> str:
    return f"{issuer_did(organisation)}#{key.kid}"


def status_list_url(organisation: Organisation) -> str:
    return f"{base_url()}/badges/status/{organisation.slug}/"


def achievement_url(award: Award) -> str:
    return f"{base_url()}/badges/classes/{award.badge_class_id}/"


def credential_id(award: Award) -> str:
    return f"urn:uuid:{award.uid}"


def badge_image_url(award: Award) -> str:
    return f"{base_url()}/badges/classes/{award.badge_class_id}/image.svg"


def identity_hash(user: User, salt: str) -> str:
    """sha256 of the person's e-mail address and a salt, as OB 3.0's IdentityObject has it."""
    digest = hashlib.sha256((user.email.strip().lower() + salt).encode()).hexdigest()
    return f"sha256${digest}"


# --- keys ------------------------------------------------------------------------------------------------


def _configured_private_key(organisation: Organisation) -> bytes | None:
    """The key BADGES_ISSUER_KEYS gives this organisation (by slug, base64 of the raw 32 bytes), if any."""
    encoded = settings.BADGES_ISSUER_KEYS.get(organisation.slug)
    if not encoded:
        return None
    try:
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"BADGES_ISSUER_KEYS: the key of {organisation.slug} is not 32 bytes of base64")
    return raw


def issuer_key(organisation: Organisation) -> IssuerKey:
    """The organisation's active key, made on first use (or taken from settings)."""
    from badges.credentials import keys

    key = IssuerKey.objects.filter(organisation=organisation, retired_at__isnull=True).first()
    configured = _configured_private_key(organisation)
    if key is not None and (configured is None or bytes(key.public_key) == keys.public_key(configured)):
        return key
    private = configured or keys.generate_private_key()
    try:
        with transaction.atomic():
            if key is not None:  # the configured key changed: the old one stays for verification
                IssuerKey.objects.filter(pk=key.pk).update(retired_at=timezone.now())
            return IssuerKey.objects.create(
                organisation=organisation,
                kid=f"key-{secrets.token_hex(6)}",
                public_key=keys.public_key(private),
                private_key=b"" if configured else private,
            )
    except IntegrityError:  # another request made it first
        return IssuerKey.objects.get(organisation=organisation, retired_at__isnull=True)


def _private_key(key: IssuerKey, organisation: Organisation) -> bytes:
    return _configured_private_key(organisation) or bytes(key.private_key)


def resolve_key(verification_method_id: str) -> bytes | None:
    """The public key a verification method (or JWT `kid`) names, if it is one of ours and was issued for
    the organisation the method names."""
    did, _hash, kid = verification_method_id.partition("#")
    if not kid:
        return None
    key = IssuerKey.objects.select_related("organisation").filter(kid=kid).first()
    if key is None or issuer_did(key.organisation) != did:
        return None
    return bytes(key.public_key)


def is_revoked(status_list_credential_url: str, index: int) -> bool | None:
    """Whether the status list at that URL has the index set; None when the list is not ours."""
    prefix = f"{base_url()}/badges/status/"
    if not status_list_credential_url.startswith(prefix):
        return None
    slug = status_list_credential_url[len(prefix) :].strip("/")
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        return None
    return Award.objects.filter(organisation=organisation, status_index=index, revoked_at__isnull=False).exists()


# --- credentials -----------------------------------------------------------------------------------------


def _issuer(organisation: Organisation):
    from badges.credentials.build import Issuer

    return Issuer(id=issuer_url(organisation), name=organisation.name, url=issuer_url(organisation))


def credential(award: Award) -> dict[str, Any]:
    """The award's OpenBadgeCredential, unsigned."""
    from badges.credentials.build import Achievement, Evidence, Recipient, Status, openbadge_credential

    badge_class = award.badge_class
    texts = badge_class.texts_in(badge_class.language)
    evidence = []
    if award.evidence_text or award.evidence_url:
        evidence.append(Evidence(narrative=award.evidence_text, url=award.evidence_url or None, name=None))
    return openbadge_credential(
        credential_id=credential_id(award),
        issuer=_issuer(award.organisation),
        achievement=Achievement(
            id=achievement_url(award),
            name=texts["name"],
            description=texts["description"],
            criteria_narrative=texts["criteria"],
            tags=list(badge_class.tags),
            language=badge_class.language,
            image_url=badge_image_url(award),
        ),
        recipient=Recipient(identity_hash=award.identity_hash, salt=award.salt),
        valid_from=award.issued_at,
        valid_until=None,
        status=Status(status_list_credential_url=status_list_url(award.organisation), index=award.status_index),
        evidence=evidence,
        name=texts["name"],
    )


def credential_jwt(award: Award) -> str:
    from badges.credentials import vcjwt

    key = issuer_key(award.organisation)
    return vcjwt.sign(
        credential(award), _private_key(key, award.organisation), verification_method(key, award.organisation)
    )


def credential_json(award: Award, *, now: datetime.datetime | None = None) -> dict[str, Any]:
    from badges.credentials import data_integrity

    key = issuer_key(award.organisation)
    return data_integrity.add_proof(
        credential(award),
        _private_key(key, award.organisation),
        verification_method(key, award.organisation),
        now or timezone.now(),
    )


def badge_svg(award: Award) -> str:
    badge_class = award.badge_class
    return svg.draw(name=badge_class.texts_in(badge_class.language)["name"], colour=badge_class.colour)


def baked_svg(award: Award) -> str:
    from badges.credentials import baking

    return baking.bake(badge_svg(award), credential_jwt(award))


# --- what the issuer publishes ---------------------------------------------------------------------------


def _published_keys(organisation: Organisation) -> list[IssuerKey]:
    issuer_key(organisation)
    return list(IssuerKey.objects.filter(organisation=organisation).order_by("-created_at"))


def issuer_profile(organisation: Organisation) -> dict[str, Any]:
    from badges.credentials.build import issuer_profile as profile

    key = issuer_key(organisation)
    return profile(_issuer(organisation), bytes(key.public_key))


def did_document(organisation: Organisation) -> dict[str, Any]:
    from badges.credentials import keys

    key = issuer_key(organisation)
    return keys.did_web_document(issuer_did(organisation), bytes(key.public_key))


def jwks(organisation: Organisation) -> dict[str, Any]:
    from badges.credentials import keys

    return keys.jwks(
        [(verification_method(key, organisation), bytes(key.public_key)) for key in _published_keys(organisation)]
    )


def status_list_credential(organisation: Organisation, *, now: datetime.datetime | None = None) -> dict[str, Any]:
    """The organisation's Bitstring Status List credential, signed like the awards (Data Integrity)."""
    from badges.credentials import data_integrity, status_list

    revoked = Award.objects.filter(organisation=organisation, revoked_at__isnull=False).values_list(
        "status_index", flat=True
    )
    now = now or timezone.now()
    unsigned = status_list.status_list_credential(
        url=status_list_url(organisation),
        issuer_id=issuer_url(organisation),
        encoded_list=status_list.encode(list(revoked)),
        valid_from=now,
    )
    key = issuer_key(organisation)
    return data_integrity.add_proof(
        unsigned, _private_key(key, organisation), verification_method(key, organisation), now
    )


def verify(data: str | bytes | dict, *, now: datetime.datetime | None = None):
    from badges.credentials.verify import verify as verify_credential

    return verify_credential(data, resolve_key=resolve_key, is_revoked=is_revoked, now=now or timezone.now())
