"""People, partner organisations and the shared vocabulary (languages, skills and help areas)."""

import secrets
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@cache
def known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in known_time_zones():
        raise ValidationError(_("Unknown time zone “%(value)s”."), params={"value": value}, code="invalid")


def interface_languages() -> list[tuple[str, str]]:
    """The languages the site may speak to a person in (settings.LANGUAGES), as a field's choices."""
    return list(settings.LANGUAGES)


class Organisation(models.Model):
    """A partner NGO. Coordinators belong to exactly one; volunteers and mentees join one."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    """A language by its ISO 639 code (639-1 where one exists, else 639-3), named in itself."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    name = models.CharField(_("English name"), max_length=80)
    native_name = models.CharField(_("native name"), max_length=80)
    rtl = models.BooleanField(_("written right to left"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return f"{self.native_name} ({self.code})"


class SkillCategory(models.TextChoices):
    HELP_AREA = "help_area", _("Help area")
    ICT = "ict", _("ICT skill")
    LANGUAGE = "language", _("Language and learning")


class Skill(models.Model):
    """A skill a volunteer offers or a need a mentee has: one vocabulary for both, so they match."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    label = models.CharField(_("label"), max_length=120, help_text=_("English; translated on display"))
    category = models.CharField(_("category"), max_length=20, choices=SkillCategory.choices)

    class Meta:
        ordering = ["category", "slug"]
        verbose_name = _("skill or help area")
        verbose_name_plural = _("skills and help areas")

    def __str__(self) -> str:
        return self.slug

    @property
    def translated_label(self) -> str:
        return gettext(self.label)


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    MENTEE = "mentee", _("Mentee")
    COORDINATOR = "coordinator", _("Coordinator")
    STAFF = "staff", _("Staff")


class LanguageLevel(models.TextChoices):
    BASIC = "basic", _("Basic")
    FLUENT = "fluent", _("Fluent")
    NATIVE = "native", _("Native")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("role", Role.STAFF)
        fields.update(is_staff=True, is_superuser=True)
        fields.setdefault("display_name", "Admin")
        return self.create_user(email, password, **fields)


def _new_security_stamp() -> str:
    return secrets.token_hex(16)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in. What a person does is their role; role data lives in the role's app."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"), max_length=80, help_text=_("The name others see; it need not be a legal name.")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])
    # The language of the pages and e-mails the person chose; blank: not chosen (then the best language they
    # speak, see accounts.signup.user_language).
    language = models.CharField(_("interface language"), max_length=8, blank=True, choices=interface_languages)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=dj_timezone.now)
    # Rotated on logout and password change: every other session and socket of the user ends.
    security_stamp = models.CharField(max_length=32, default=_new_security_stamp, editable=False)
    # Set when the person erased their account: the row stays, pseudonymised, so what others wrote and
    # what safeguarding must keep still has an author; everything identifying is gone.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="coordinator") | models.Q(organisation__isnull=False),
                name="coordinator_has_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_session_auth_hash(self) -> str:
        """Sessions stay valid only while the password hash and the security stamp are unchanged."""
        key_salt = "accounts.User.get_session_auth_hash"
        return salted_hmac(key_salt, f"{self.password}:{self.security_stamp}", algorithm="sha256").hexdigest()

    def rotate_security_stamp(self) -> None:
        self.security_stamp = _new_security_stamp()
        self.save(update_fields=["security_stamp"])

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_volunteer(self) -> bool:
        return self.role == Role.VOLUNTEER

    @property
    def is_mentee(self) -> bool:
        return self.role == Role.MENTEE


class UserLanguage(models.Model):
    """A language a person speaks, with how well."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=10, choices=LanguageLevel.choices, default=LanguageLevel.FLUENT)

    class Meta:
        ordering = ["language_id"]
        constraints = [models.UniqueConstraint(fields=["user", "language"], name="unique_user_language")]

    def __str__(self) -> str:
        return f"{self.language_id}:{self.level}"
