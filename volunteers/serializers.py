from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Skill
from accounts.serializers import OrganisationSerializer, PersonSerializer, SignupSerializer
from config.text import PlainTextField
from volunteers.models import VettingStatus, Volunteer


class VolunteerSerializer(PersonSerializer, serializers.ModelSerializer):
    """A volunteer's profile. Vetting is read-only here: only a coordinator records it."""

    organisation = OrganisationSerializer(source="user.organisation", read_only=True)
    skills = serializers.SlugRelatedField(slug_field="slug", queryset=Skill.objects.all(), many=True)
    vetted = serializers.BooleanField(source="is_vetted", read_only=True)
    bio = PlainTextField(max_length=2000, required=False, allow_blank=True)

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "display_name",
            "timezone",
            "languages",
            "organisation",
            "bio",
            "skills",
            "capacity",
            "vetting_status",
            "vetting_checked_on",
            "vetting_expires_on",
            "vetted",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["vetting_status", "vetting_checked_on", "vetting_expires_on", "created_at", "updated_at"]


class VolunteerSignupSerializer(SignupSerializer):
    bio = PlainTextField(max_length=2000, required=False, default="", allow_blank=True)
    skills = serializers.SlugRelatedField(
        slug_field="slug", queryset=Skill.objects.all(), many=True, required=False, default=list
    )
    capacity = serializers.IntegerField(min_value=0, max_value=10, default=1)


class BecomeVolunteerSerializer(serializers.Serializer):
    """A mentee whose mentoring is over becomes a volunteer with the same account."""

    bio = PlainTextField(max_length=2000, required=False, default="", allow_blank=True)
    skills = serializers.SlugRelatedField(
        slug_field="slug", queryset=Skill.objects.all(), many=True, required=False, default=list
    )
    capacity = serializers.IntegerField(min_value=0, max_value=10, default=1)


class VettingSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=VettingStatus.choices)
    checked_on = serializers.DateField(required=False, allow_null=True, default=None)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_checked_on(self, value):
        if value and value > timezone.localdate():
            raise serializers.ValidationError(_("The check cannot be in the future."))
        return value

    def validate(self, attrs):
        if attrs["status"] == VettingStatus.VERIFIED:
            errors = {}
            if not attrs.get("checked_on"):
                errors["checked_on"] = [_("A verified check needs the date it was done.")]
            if not attrs.get("expires_on"):
                errors["expires_on"] = [_("A verified check needs an expiry date.")]
            elif attrs.get("checked_on") and attrs["expires_on"] <= attrs["checked_on"]:
                errors["expires_on"] = [_("The expiry must come after the check.")]
            if errors:
                raise serializers.ValidationError(errors)
        return attrs
