from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import (
    Language,
    LanguageLevel,
    Organisation,
    Skill,
    User,
    UserLanguage,
    interface_languages,
    validate_time_zone,
)
from config.text import NameField


class LanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Language
        fields = ["code", "name", "native_name", "rtl"]


class SkillSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="translated_label", read_only=True)

    class Meta:
        model = Skill
        fields = ["slug", "label", "category"]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "slug", "country", "city"]


class LanguageCodeField(serializers.SlugRelatedField):
    """A language by its code, which is also its primary key: shown without loading the language row."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Language.objects.all())
        super().__init__(slug_field="code", **kwargs)

    def use_pk_only_optimization(self) -> bool:
        return True

    def to_representation(self, obj) -> str:
        return obj.pk


class UserLanguageSerializer(serializers.ModelSerializer):
    language = LanguageCodeField()
    level = serializers.ChoiceField(choices=LanguageLevel.choices, default=LanguageLevel.FLUENT)

    class Meta:
        model = UserLanguage
        fields = ["language", "level"]


class TimeZoneField(serializers.CharField):
    default_error_messages = {"unknown": _("Unknown time zone “{value}”.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("help_text", _("IANA time zone, e.g. Europe/Madrid"))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            validate_time_zone(value)
        except DjangoValidationError:
            self.fail("unknown", value=value)
        return value


def validate_language_list(languages: list[dict]) -> list[dict]:
    # A partial update (PATCH) makes nested fields optional, so a code may be missing here.
    if any("language" not in item for item in languages):
        raise serializers.ValidationError(_("Each language needs its code."))
    codes = [item["language"].code for item in languages]
    if len(codes) != len(set(codes)):
        raise serializers.ValidationError(_("Each language may appear only once."))
    return languages


class PersonSerializer(serializers.Serializer):
    """The fields every person has, stored on the user; used inside the role profiles."""

    display_name = NameField(source="user.display_name", max_length=80)
    timezone = TimeZoneField(source="user.timezone")
    languages = UserLanguageSerializer(source="user.languages", many=True)

    def validate_languages(self, value):
        return validate_language_list(value)


class SignupSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, style={"input_type": "password"}, max_length=128)
    display_name = NameField(max_length=80)
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    timezone = TimeZoneField(default="UTC")
    languages = UserLanguageSerializer(many=True, required=False, default=list)

    def validate_email(self, value: str) -> str:
        # Whether the address has an account is never said here: see accounts.signup.
        return User.objects.normalize_email(value).lower()

    def validate_languages(self, value):
        return validate_language_list(value)

    def validate(self, attrs):
        probe = User(email=attrs.get("email", ""), display_name=attrs.get("display_name", ""))
        try:
            password_validation.validate_password(attrs.get("password", ""), probe)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return attrs


class SignupAcceptedSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)


def signup_accepted_answer() -> dict:
    """The one answer to every valid sign-up, new address or not."""
    return {"detail": _("Thank you. We have sent a message to your e-mail address; you can now log in.")}


class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, style={"input_type": "password"}, max_length=128)


class CsrfSerializer(serializers.Serializer):
    csrf_token = serializers.CharField(read_only=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(write_only=True, max_length=128)
    new_password = serializers.CharField(write_only=True, max_length=128)

    def validate_old_password(self, value: str) -> str:
        if not self.context["request"].user.check_password(value):
            raise serializers.ValidationError(_("The current password is wrong."))
        return value

    def validate_new_password(self, value: str) -> str:
        try:
            password_validation.validate_password(value, self.context["request"].user)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages)) from exc
        return value


class EraseSerializer(serializers.Serializer):
    password = serializers.CharField(write_only=True, max_length=128)

    def validate_password(self, value: str) -> str:
        if not self.context["request"].user.check_password(value):
            raise serializers.ValidationError(_("The password is wrong."))
        return value


def interface_language_field(**kwargs) -> serializers.ChoiceField:
    """The language of the pages and e-mails: one of settings.LANGUAGES, or blank for not chosen."""
    return serializers.ChoiceField(
        choices=interface_languages(),
        allow_blank=True,
        help_text=_("Language of the pages and e-mails; blank: the best language the person speaks."),
        **kwargs,
    )


class MeSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer(read_only=True)
    language = interface_language_field(read_only=True)
    languages = UserLanguageSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "display_name",
            "role",
            "organisation",
            "timezone",
            "language",
            "languages",
            "date_joined",
        ]
        read_only_fields = fields


class MeUpdateSerializer(serializers.Serializer):
    """What the account itself may change here; the rest of the profile is the role's (volunteers/me...)."""

    language = interface_language_field()
