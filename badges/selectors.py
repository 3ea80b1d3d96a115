"""Reads for badges: who sees which badge classes, awards and nominations, and the public views."""

from typing import Any

from django.db.models import QuerySet

from accounts.models import Organisation, Role, User
from badges.filters import AwardFilter, BadgeClassFilter, NominationFilter
from badges.models import Award, BadgeClass, Nomination
from config.filtering import apply_filters
from mentees.models import Mentee
from scheduling.models import Pairing, PairingStatus


def badge_class_list(*, user: User, filters: dict | None = None) -> QuerySet[BadgeClass]:
    """The caller's organisation's badge classes (retired ones too; filter `retired=false` to hide them)."""
    return apply_filters(BadgeClassFilter, filters, BadgeClass.objects.visible_to(user))


def award_list(*, user: User, filters: dict | None = None) -> QuerySet[Award]:
    """Coordinators: their organisation's awards; everyone else: their own (the wallet)."""
    qs = Award.objects.visible_to(user).select_related("badge_class", "recipient")
    return apply_filters(AwardFilter, filters, qs)


def wallet(*, user: User) -> QuerySet[Award]:
    """The person's own awards, revoked ones included (shown as revoked), newest first."""
    return Award.objects.filter(recipient=user).select_related("badge_class", "organisation")


def award_for_download(*, user: User, award_id: int) -> Award:
    """An award the caller may download (holder or the organisation's coordinators); DoesNotExist else."""
    return Award.objects.visible_to(user).select_related("badge_class", "organisation", "recipient").get(pk=award_id)


def shared_award(*, slug: str) -> Award:
    """The award published under this slug (not revoked); DoesNotExist when not shared."""
    return Award.objects.shared().select_related("badge_class", "organisation").get(share_slug=slug)


def shared_award_public(award: Award) -> dict[str, Any]:
    """What the public page shows: the badge, the issuer, and the name the holder chose; nothing else."""
    from badges import issuing

    texts = award.badge_class.texts_in(award.badge_class.language)
    return {
        "display_name": award.share_name,
        "badge": {
            "name": texts["name"],
            "description": texts["description"],
            "criteria": texts["criteria"],
            "tags": award.badge_class.tags,
            "language": award.badge_class.language,
            "image_url": issuing.badge_image_url(award),
        },
        "issuer": {"name": award.organisation.name, "url": issuing.issuer_url(award.organisation)},
        "issued_at": award.issued_at,
    }


def nomination_list(*, user: User, filters: dict | None = None) -> QuerySet[Nomination]:
    qs = Nomination.objects.visible_to(user).select_related("mentee__user", "nominated_by", "award")
    return apply_filters(NominationFilter, filters, qs)


def nominatable_mentees(*, user: User) -> QuerySet[Mentee]:
    """The mentees the caller may nominate: a coordinator's organisation's; a volunteer's own mentees (a
    pairing approved at some point, current or ended); nobody else's."""
    qs = Mentee.objects.select_related("user").order_by("user__display_name", "pk")
    if user.role == Role.COORDINATOR:
        return qs.filter(organisation_id=user.organisation_id)
    if user.role == Role.VOLUNTEER:
        mentored = Pairing.objects.filter(volunteer__user=user).exclude(
            status__in=[PairingStatus.PROPOSED, PairingStatus.REJECTED]
        )
        return qs.filter(pk__in=mentored.values("mentee_id"))
    return qs.none()


def organisation_by_slug(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def public_badge_class(*, badge_class_id: int) -> BadgeClass:
    """A badge class as the public may see it (its texts and image are in every credential)."""
    return BadgeClass.objects.select_related("organisation").get(pk=badge_class_id)


def badges_export(user: User) -> dict[str, Any]:
    """The badges part of a personal data export: awards held and nominations made or received."""
    awards = Award.objects.filter(recipient=user).select_related("badge_class")
    received = Nomination.objects.filter(mentee__user=user)
    made = Nomination.objects.filter(nominated_by=user)
    return {
        "awards": [
            {
                "id": award.pk,
                "badge": award.badge_class.display_name,
                "issued_at": award.issued_at.isoformat(),
                "evidence": award.evidence_text,
                "evidence_url": award.evidence_url,
                "revoked_at": award.revoked_at.isoformat() if award.revoked_at else None,
                "revoked_reason": award.revoked_reason,
                "shared": award.is_shared,
                "share_name": award.share_name,
            }
            for award in awards
        ],
        "nominations_received": [_nomination(n) for n in received],
        "nominations_made": [_nomination(n) for n in made],
    }


def _nomination(nomination: Nomination) -> dict[str, Any]:
    return {
        "id": nomination.pk,
        "category": nomination.category,
        "evidence": nomination.evidence_text,
        "evidence_url": nomination.evidence_url,
        "status": nomination.status,
        "reason": nomination.reason,
        "created_at": nomination.created_at.isoformat(),
    }
