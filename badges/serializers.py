import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from badges.models import Award, BadgeClass, Contribution, Nomination
from config.text import NameField, PlainTextField

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class BadgeClassSerializer(serializers.ModelSerializer):
    name = NameField(max_length=120, required=False, allow_blank=True)
    description = PlainTextField(max_length=1000, required=False, allow_blank=True)
    criteria = PlainTextField(max_length=2000, required=False, allow_blank=True)
    tags = serializers.ListField(child=NameField(max_length=40), max_length=10, required=False)
    language = serializers.CharField(max_length=8, required=False)
    colour = serializers.CharField(max_length=7, required=False, help_text=_("#rrggbb"))
    contribution = serializers.ChoiceField(choices=Contribution.choices, required=False, allow_null=True)
    display_name = serializers.CharField(read_only=True, help_text=_("The name as shown (milestones: translated)."))
    display_description = serializers.CharField(read_only=True)
    display_criteria = serializers.CharField(read_only=True)
    retired = serializers.BooleanField(source="is_retired", read_only=True)
    image_url = serializers.SerializerMethodField()

    class Meta:
        model = BadgeClass
        fields = [
            "id",
            "organisation",
            "name",
            "description",
            "criteria",
            "tags",
            "language",
            "colour",
            "milestone",
            "contribution",
            "display_name",
            "display_description",
            "display_criteria",
            "retired",
            "retired_at",
            "image_url",
        ]
        read_only_fields = ["organisation", "milestone", "retired_at"]

    def get_image_url(self, badge_class: BadgeClass) -> str:
        return f"/badges/classes/{badge_class.pk}/image.svg"

    def validate_colour(self, value: str) -> str:
        if not COLOUR.match(value):
            raise serializers.ValidationError(_("Enter a colour as #rrggbb, e.g. #2a7ab0."))
        return value.lower()

    def validate_language(self, value: str) -> str:
        from accounts.models import Language

        if not Language.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("Unknown language code."))
        return value

    def validate(self, attrs):
        creating = self.instance is None
        if creating and not (attrs.get("name") or "").strip():
            raise serializers.ValidationError({"name": [_("A badge needs a name.")]})
        return attrs


class BadgeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    description = serializers.CharField(source="display_description")
    criteria = serializers.CharField(source="display_criteria")
    colour = serializers.CharField()
    milestone = serializers.CharField(allow_null=True)
    contribution = serializers.CharField(allow_null=True)


class AwardSerializer(serializers.ModelSerializer):
    """An award with its evidence. The holder sees their wallet; coordinators their organisation's."""

    badge = BadgeRefSerializer(source="badge_class")
    recipient = serializers.SerializerMethodField()
    automatic = serializers.SerializerMethodField()
    revoked = serializers.BooleanField(source="is_revoked")
    shared = serializers.BooleanField(source="is_shared")
    share_url = serializers.SerializerMethodField()
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = Award
        fields = [
            "id",
            "badge",
            "recipient",
            "issued_at",
            "evidence_text",
            "evidence_url",
            "automatic",
            "revoked",
            "revoked_at",
            "revoked_reason",
            "shared",
            "share_name",
            "share_slug",
            "share_url",
            "downloads",
        ]
        read_only_fields = fields

    def get_recipient(self, award: Award) -> dict:
        return {"id": award.recipient_id, "display_name": award.recipient.display_name}

    def get_automatic(self, award: Award) -> bool:
        return award.awarded_by_id is None

    def get_share_url(self, award: Award) -> str | None:
        return f"/api/badges/shared/{award.share_slug}/" if award.share_slug else None

    def get_downloads(self, award: Award) -> dict:
        base = f"/api/awards/{award.pk}"
        return {"jwt": f"{base}/credential.jwt", "json": f"{base}/credential.json", "svg": f"{base}/badge.svg"}


class ShareSerializer(serializers.Serializer):
    display_name = NameField(max_length=80, help_text=_("The name shown with the badge on its public page."))


class RevokeSerializer(serializers.Serializer):
    reason = PlainTextField(max_length=500)


class NominationSerializer(serializers.ModelSerializer):
    evidence_text = PlainTextField(max_length=2000)
    evidence_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=Contribution.choices)
    nominated_by = serializers.SerializerMethodField()
    award = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "mentee",
            "nominated_by",
            "category",
            "evidence_text",
            "evidence_url",
            "status",
            "reason",
            "decided_at",
            "award",
            "created_at",
        ]
        read_only_fields = ["status", "reason", "decided_at", "award", "created_at"]

    def get_nominated_by(self, nomination: Nomination) -> dict | None:
        person = nomination.nominated_by
        return {"id": person.pk, "display_name": person.display_name} if person else None

    def get_fields(self):
        from mentees.models import Mentee

        fields = super().get_fields()
        # Only mentees of the caller's organisation can be named; others read as "does not exist".
        request = self.context.get("request")
        org = getattr(getattr(request, "user", None), "organisation_id", None)
        fields["mentee"] = serializers.PrimaryKeyRelatedField(queryset=Mentee.objects.filter(organisation_id=org))
        return fields


class ApproveSerializer(serializers.Serializer):
    badge_class = serializers.PrimaryKeyRelatedField(
        queryset=BadgeClass.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The badge to award; by default the organisation's badge for this kind of contribution."),
    )

    def __init__(self, *args, organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["badge_class"].queryset = BadgeClass.objects.active().filter(
            organisation_id=organisation_id, milestone__isnull=True
        )


class NominationRejectSerializer(serializers.Serializer):
    reason = PlainTextField(max_length=500)


class VerifySerializer(serializers.Serializer):
    credential = serializers.JSONField(
        required=False,
        help_text=_("The credential: a VC-JWT, a JSON credential (object or text) or a baked SVG (text)."),
    )
    file = serializers.FileField(required=False, help_text=_("Or upload it: .jwt, .json or .svg."))


class VerificationSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    reason = serializers.CharField(help_text=_("ok, or why not: tampered, unknown_key, revoked, expired, ..."))
    message = serializers.CharField()
    form = serializers.CharField(allow_null=True, help_text=_("jwt, json or svg"))
    credential = serializers.JSONField(allow_null=True)


class SharedBadgeSerializer(serializers.Serializer):
    display_name = serializers.CharField()
    badge = serializers.DictField()
    issuer = serializers.DictField()
    issued_at = serializers.DateTimeField()
