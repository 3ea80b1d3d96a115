from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Language, Skill
from accounts.serializers import OrganisationSerializer, PersonSerializer, SignupSerializer
from config.text import NameField, PlainTextField
from mentees.models import ConsentMethod, HelpRequest, HelpRequestStatus, Mentee, Urgency
from mentees.validators import validate_birth_year


class MenteeSerializer(PersonSerializer, serializers.ModelSerializer):
    """A mentee's profile: minimal data. Consent is read-only here: only a coordinator records it."""

    organisation = OrganisationSerializer(source="user.organisation", read_only=True)
    is_minor = serializers.BooleanField(read_only=True)
    is_active = serializers.BooleanField(read_only=True, help_text=_("Can be matched (minors need consent)."))
    has_consent = serializers.BooleanField(read_only=True)

    class Meta:
        model = Mentee
        fields = [
            "id",
            "display_name",
            "timezone",
            "languages",
            "organisation",
            "birth_year",
            "is_minor",
            "has_consent",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate_birth_year(self, value):
        return validate_birth_year(value, mentee=self.instance)


class MenteeCoordinatorSerializer(MenteeSerializer):
    """What a coordinator sees: the profile and the recorded consent."""

    class Meta(MenteeSerializer.Meta):
        fields = [
            *MenteeSerializer.Meta.fields,
            "consent_guardian_name",
            "consent_given_on",
            "consent_method",
            "consent_recorded_at",
        ]
        read_only_fields = fields


class MenteeSignupSerializer(SignupSerializer):
    birth_year = serializers.IntegerField()

    def validate_birth_year(self, value):
        return validate_birth_year(value)


class ConsentSerializer(serializers.Serializer):
    guardian_name = NameField(max_length=120)
    given_on = serializers.DateField()
    method = serializers.ChoiceField(choices=ConsentMethod.choices)

    def validate_given_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("Consent cannot be given in the future."))
        return value


class HelpRequestSerializer(serializers.ModelSerializer):
    needs = serializers.SlugRelatedField(slug_field="slug", queryset=Skill.objects.all(), many=True, allow_empty=False)
    languages = serializers.SlugRelatedField(
        slug_field="code", queryset=Language.objects.all(), many=True, required=False
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    mentee = serializers.PrimaryKeyRelatedField(read_only=True)
    status = serializers.ChoiceField(choices=HelpRequestStatus.choices, read_only=True)
    description = PlainTextField(max_length=1000, required=False, allow_blank=True)

    class Meta:
        model = HelpRequest
        fields = [
            "id",
            "mentee",
            "needs",
            "languages",
            "description",
            "urgency",
            "status",
            "created_at",
            "updated_at",
            "closed_at",
        ]
        read_only_fields = ["created_at", "updated_at", "closed_at"]
