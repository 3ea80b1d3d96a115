"""The one place that maps badge models to the credential library (`badges.credentials`, pure, no ORM).

Here live the issuer's URLs and keys, the credential of an award in its three forms (VC-JWT, JSON with a
Data Integrity proof, baked SVG), the issuer profile, did:web document, JWKS and status list, and the
two look-ups verification needs (the key of a verification method, the revocation of a status entry).

URLs: every id in a credential is absolute, from BADGES_BASE_URL (a credential must name the same issuer
however it is downloaded). The issuer's id is its did:web, `did:web:{host}:badges:issuers:{slug}`, whose
document (the public key) is served at `{base}/badges/issuers/{slug}/did.json` (the did:web rule for a
path); its `url` is its OB Profile at `{base}/badges/issuers/{slug}/`; the same key as a JWKS at
`.../jwks.json`. Proofs name the key that signed them by its own id, `{did}#{kid}` (Multikey), and VC-JWTs
`{did}#{kid}-jwk` (kid: `IssuerKey.kid`), so a key rotation leaves what the old key signed verifiable (the
DID document keeps listing it); only a key marked compromised stops verifying. (The app was unreleased when
ids changed from the fixed `#key-1`: no credential names that, so nothing resolves it.)
"""

import base64
import binascii
import datetime
import secrets
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from badges import svg
from badges.models import Award, IssuerKey
from common.errors import DomainError


def base_url() -> str:
    return settings.BADGES_BASE_URL.rstrip("/")


def issuer_url(organisation: Organisation) -> str:
    """The issuer's OB Profile (the `url` of the issuer in its credentials)."""
    return f"{base_url()}/badges/issuers/{organisation.slug}/"


def did_document_url(organisation: Organisation) -> str:
    return f"{issuer_url(organisation)}did.json"


def issuer_did(organisation: Organisation) -> str:
    """The issuer's id in credentials: a did:web resolving to `did_document_url`."""
    from badges.credentials import keys

    parts = urlsplit(base_url())
    path = [segment for segment in parts.path.split("/") if segment]
    return keys.did_web(parts.netloc, *path, "badges", "issuers", organisation.slug)


def status_list_url(organisation: Organisation) -> str:
    return f"{base_url()}/badges/status/{organisation.slug}/"


def achievement_url(award: Award) -> str:
    return f"{base_url()}/badges/classes/{award.badge_class_id}/"


def credential_id(award: Award) -> str:
    return f"urn:uuid:{award.uid}"


def badge_image_url(award: Award) -> str:
    return f"{base_url()}/badges/classes/{award.badge_class_id}/image.svg"


def identity_hash(user: User, salt: str) -> str:
    """sha256 of the person's e-mail address and a salt, as OB 3.0's IdentityObject has it: the holder
    proves the badge is theirs by showing their address; nobody can read it from the credential."""
    from badges.credentials.build import hash_identity

    return hash_identity(user.email.strip().lower(), salt)


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
        raise ImproperlyConfigured(f"BADGES_ISSUER_KEYS: the key of {organisation.slug} is not 32 bytes of base64")
    return raw


def issuer_key(organisation: Organisation) -> IssuerKey:
    """The organisation's active key, made on first use (or taken from settings)."""
    from badges.credentials import keys

    key = IssuerKey.objects.filter(organisation=organisation, retired_at__isnull=True).first()
    configured = _configured_private_key(organisation)
    if key is not None and (configured is None or bytes(key.public_key) == keys.public_key(configured)):
        return key
    if configured is not None and any(
        bytes(compromised.public_key) == keys.public_key(configured)
        for compromised in IssuerKey.objects.filter(organisation=organisation, compromised_at__isnull=False)
    ):
        raise ImproperlyConfigured(f"BADGES_ISSUER_KEYS: the key of {organisation.slug} is compromised")
    private = configured or keys.generate_private_key()
    try:
        with transaction.atomic():
            if key is not None:  # the configured key changed: the old one stays for verification
                IssuerKey.objects.filter(pk=key.pk).update(retired_at=timezone.now())
            return _new_key(organisation, private, stored=configured is None)
    except IntegrityError:  # another request made it first
        return IssuerKey.objects.get(organisation=organisation, retired_at__isnull=True)


def _new_key(organisation: Organisation, private: bytes, *, stored: bool) -> IssuerKey:
    from badges.credentials import keys

    return IssuerKey.objects.create(
        organisation=organisation,
        kid=f"key-{secrets.token_hex(6)}",  # letters, digits and '-': a DID URL fragment as it stands
        public_key=keys.public_key(private),
        private_key=private if stored else b"",
    )


class KeyRotationRefused(DomainError):
    code = "configured_key"


def rotate_issuer_key(organisation: Organisation, *, compromised: bool = False) -> IssuerKey:
    """Retire the organisation's active key and make a new one, which signs from now on. What the old key
    signed still verifies, unless `compromised`: then it reads as signed by an unknown key. A key from
    BADGES_ISSUER_KEYS is rotated by changing the setting (and, if compromised, `mark_key_compromised`)."""
    if _configured_private_key(organisation) is not None:
        raise KeyRotationRefused(_("This organisation's key comes from BADGES_ISSUER_KEYS: change it there."))
    with transaction.atomic():
        old = IssuerKey.objects.select_for_update().filter(organisation=organisation, retired_at__isnull=True).first()
        if old is not None:
            _retire(old, compromised=compromised)
        from badges.credentials import keys

        key = _new_key(organisation, keys.generate_private_key(), stored=True)
    status_list_changed(organisation.pk)  # the published list was signed by the old key
    return key


def mark_key_compromised(key: IssuerKey) -> None:
    """The key verifies nothing any more (and signs nothing: it is retired too; the next credential gets a
    new key, or, for a key from settings, an error until BADGES_ISSUER_KEYS names another)."""
    if key.compromised_at is None:
        _retire(key, compromised=True)
        status_list_changed(key.organisation_id)


def _retire(key: IssuerKey, *, compromised: bool) -> None:
    now = timezone.now()
    key.retired_at = key.retired_at or now
    key.compromised_at = now if compromised else None
    key.private_key = b""  # a retired key never signs again: its private half has no use left
    key.save(update_fields=["retired_at", "compromised_at", "private_key"])


def _private_key(key: IssuerKey, organisation: Organisation) -> bytes:
    return _configured_private_key(organisation) or bytes(key.private_key)


def _organisation_of_did(did: str) -> Organisation | None:
    prefix = issuer_did(Organisation(slug="x"))[: -len("x")]
    if not did.startswith(prefix):
        return None
    return Organisation.objects.filter(slug=did[len(prefix) :]).first()


def resolve_key(verification_method_id: str) -> bytes | None:
    """The public key a verification method (proof) or JWT `kid` names, when it is one of our issuers'
    (`{did}#{kid}` or `{did}#{kid}-jwk`): that organisation's key `kid`, active or retired by a rotation.
    A key marked compromised no longer resolves, so what it signed reads as signed by an unknown key."""
    from badges.credentials import keys

    did, _hash, fragment = verification_method_id.partition("#")
    kid = fragment.removesuffix("-jwk")
    organisation = _organisation_of_did(did)
    try:
        named = verification_method_id in (keys.multikey_id(did, kid), keys.jwk_id(did, kid))
    except ValueError:  # not a key id we make
        return None
    if organisation is None or not named:
        return None
    key = IssuerKey.objects.filter(organisation=organisation, kid=kid, compromised_at__isnull=True).first()
    return bytes(key.public_key) if key is not None else None


def published_keys(organisation: Organisation) -> list[IssuerKey]:
    """The keys a verifier may meet: the active one first, then those retired by rotation (not compromised)."""
    active = issuer_key(organisation)
    retired = IssuerKey.objects.filter(organisation=organisation, compromised_at__isnull=True).exclude(pk=active.pk)
    return [active, *retired.order_by("-created_at")]


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

    return Issuer(id=issuer_did(organisation), name=organisation.name, url=issuer_url(organisation))


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
    from badges.credentials import keys, vcjwt

    key = issuer_key(award.organisation)
    kid = keys.jwk_id(issuer_did(award.organisation), key.kid)
    return vcjwt.sign(credential(award), _private_key(key, award.organisation), kid)


def credential_json(award: Award, *, now: datetime.datetime | None = None) -> dict[str, Any]:
    return _with_proof(credential(award), award.organisation, now or timezone.now())


def _with_proof(document: dict[str, Any], organisation: Organisation, now: datetime.datetime) -> dict[str, Any]:
    from badges.credentials import data_integrity, keys

    key = issuer_key(organisation)
    method = keys.multikey_id(issuer_did(organisation), key.kid)
    return data_integrity.add_proof(document, _private_key(key, organisation), method, now)


def badge_svg(award: Award) -> str:
    badge_class = award.badge_class
    return svg.draw(name=badge_class.texts_in(badge_class.language)["name"], colour=badge_class.colour)


def baked_svg(award: Award) -> str:
    from badges.credentials import baking

    return baking.bake(badge_svg(award), credential_jwt(award))


# --- what the issuer publishes ---------------------------------------------------------------------------


def issuer_profile(organisation: Organisation) -> dict[str, Any]:
    from badges.credentials.build import issuer_profile as profile

    key = issuer_key(organisation)
    return profile(
        _issuer(organisation),
        bytes(key.public_key),
        did_document_url=did_document_url(organisation),
        key_id=key.kid,
    )


def did_document(organisation: Organisation) -> dict[str, Any]:
    from badges.credentials import keys

    active, *retired = published_keys(organisation)
    return keys.did_web_document(
        issuer_did(organisation),
        bytes(active.public_key),
        active.kid,
        other_keys=[(key.kid, bytes(key.public_key)) for key in retired],
    )


def jwks(organisation: Organisation) -> dict[str, Any]:
    from badges.credentials import keys

    did = issuer_did(organisation)
    return keys.jwks([(keys.jwk_id(did, key.kid), bytes(key.public_key)) for key in published_keys(organisation)])


STATUS_LIST_SECONDS = 300


def _status_list_cache_key(organisation_id: int) -> str:
    return f"badges:status-list:{organisation_id}"


def published_status_list(organisation: Organisation) -> dict[str, Any]:
    """The status list as served: signed once and kept in the cache until a revocation (or 5 minutes), so
    a verifier polling it costs no signature. The verifier here reads the database, never this copy."""
    key = _status_list_cache_key(organisation.pk)
    document = cache.get(key)
    if document is None:
        document = status_list_credential(organisation)
        cache.set(key, document, STATUS_LIST_SECONDS)
    return document


def status_list_changed(organisation_id: int) -> None:
    cache.delete(_status_list_cache_key(organisation_id))


def status_list_credential(organisation: Organisation, *, now: datetime.datetime | None = None) -> dict[str, Any]:
    """The organisation's Bitstring Status List credential, signed like the awards (Data Integrity)."""
    from badges.credentials import status_list

    revoked = Award.objects.filter(organisation=organisation, revoked_at__isnull=False).values_list(
        "status_index", flat=True
    )
    now = now or timezone.now()
    unsigned = status_list.status_list_credential(
        url=status_list_url(organisation),
        issuer_id=issuer_did(organisation),
        encoded_list=status_list.encode(list(revoked)),
        valid_from=now,
    )
    return _with_proof(unsigned, organisation, now)


def verify(data: str | bytes | dict, *, now: datetime.datetime | None = None):
    from badges.credentials.verify import verify as verify_credential

    return verify_credential(data, resolve_key=resolve_key, is_revoked=is_revoked, now=now or timezone.now())
