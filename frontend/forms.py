"""Django forms of the web pages. Writes go through the same services as the API."""

import datetime

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from accounts import services as account_services
from accounts.backends import login_refusal
from accounts.models import (
    Language,
    LanguageLevel,
    Organisation,
    Skill,
    User,
    interface_languages,
    validate_time_zone,
)
from accounts.signup import user_language
from config.text import has_invisible, strip_invisible
from mentees.models import ConsentMethod, HelpRequestStatus, Urgency
from mentees.validators import validate_birth_year
from safeguarding.models import Action
from scheduling.models import PairingStatus
from volunteers.models import VettingStatus


class LoginForm(auth_forms.AuthenticationForm):
    """Django's log-in form: `authenticate()` runs every backend, the failed-log-in limit included."""

    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _("E-mail address or password is wrong."),
        "too_many": _("Too many failed attempts. Try again in a few minutes."),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            # The limiter's backend refuses before checking the password and says so on the request.
            if self.request is not None and login_refusal(self.request) is not None:
                raise forms.ValidationError(self.error_messages["too_many"], code="too_many") from None
            raise


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Changing the password ends every other session, token and socket, as the API's change does."""

    def save(self, commit=True):
        account_services.password_change(user=self.user, new_password=self.cleaned_data["new_password1"])
        return self.user


class SetPasswordForm(auth_forms.SetPasswordForm):
    """A password reset by e-mail also ends whatever was open with the old password."""

    def save(self, commit=True):
        account_services.password_change(user=self.user, new_password=self.cleaned_data["new_password1"])
        return self.user


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset by e-mail, each message written in its recipient's language (not the page's)."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(user_language(context["user"])):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


def _blank(label):
    return [("", label)]


class HelpRequestFilterForm(forms.Form):
    """The coordinator's filters over help requests; its cleaned data feeds `help_request_list`."""

    need = forms.ChoiceField(label=_("Need"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False, choices=_blank(_("Any urgency")) + list(Urgency.choices)
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("Any status")) + list(HelpRequestStatus.choices)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = _blank(_("Any need")) + [
            (skill.slug, skill.translated_label) for skill in Skill.objects.all()
        ]
        self.fields["language"].choices = _blank(_("Any language")) + [
            (language.code, language.native_name) for language in Language.objects.all()
        ]

    def filters(self) -> dict:
        """Only the filters that were given (call after is_valid())."""
        return {name: value for name, value in self.cleaned_data.items() if value}


class SignupForm(forms.Form):
    """What every person gives at sign-up; the role forms below add their own part."""

    display_name = forms.CharField(
        label=_("Your name as others will see it"),
        max_length=80,
        help_text=_("It need not be your full or legal name."),
    )
    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        help_text=_("At least 10 characters, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Organisation.objects.all(), empty_label=_("Choose one")
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages you speak"), queryset=Language.objects.all(), widget=forms.SelectMultiple(attrs={"size": 6})
    )
    timezone = forms.CharField(
        label=_("Your time zone"),
        max_length=64,
        initial="UTC",
        validators=[validate_time_zone],
        help_text=_("For example Europe/Madrid. Times are shown in this zone."),
        widget=forms.TextInput(attrs={"data-timezone": ""}),
    )

    def clean_email(self):
        # Never "already exists": that would tell anyone who has an account (accounts.signup answers both).
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean(self):
        cleaned = super().clean()
        probe = User(email=cleaned.get("email", ""), display_name=cleaned.get("display_name", ""))
        if cleaned.get("password"):
            try:
                password_validation.validate_password(cleaned["password"], probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned

    def account_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "email": data["email"],
            "password": data["password"],
            "display_name": data["display_name"],
            "organisation": data["organisation"],
            "timezone": data["timezone"],
            "languages": [{"language": language, "level": LanguageLevel.FLUENT} for language in data["languages"]],
        }


class MenteeSignupForm(SignupForm):
    birth_year = forms.IntegerField(
        label=_("Year you were born"), help_text=_("Only the year. We ask so that young people under 18 are protected.")
    )

    def clean_birth_year(self):
        return validate_birth_year(self.cleaned_data["birth_year"])


class VolunteerSignupForm(SignupForm):
    skills = forms.ModelMultipleChoiceField(
        label=_("What you can help with"),
        queryset=Skill.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    bio = forms.CharField(
        label=_("A few words about you"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    capacity = forms.IntegerField(
        label=_("How many mentees you can take at once"),
        min_value=0,
        max_value=10,
        initial=1,
        help_text=_("0 means: not now."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].label_from_instance = lambda skill: skill.translated_label


class HelpRequestForm(forms.Form):
    """A mentee files a help request."""

    needs = forms.ModelMultipleChoiceField(
        label=_("What do you need help with?"),
        queryset=Skill.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )
    urgency = forms.ChoiceField(label=_("How urgent is it?"), choices=Urgency.choices, initial=Urgency.NORMAL)
    description = forms.CharField(
        label=_("Tell us a little more (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not write phone numbers, addresses or documents here."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].label_from_instance = lambda skill: skill.translated_label


class ProfileForm(forms.Form):
    """What every person may change about themself; volunteers add their part (VolunteerProfileForm)."""

    display_name = forms.CharField(label=_("Your name as others will see it"), max_length=80)
    timezone = forms.CharField(
        label=_("Your time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("For example Europe/Madrid. Times are shown in this zone."),
    )
    language = forms.ChoiceField(
        label=_("Language of the pages and e-mails"),
        required=False,
        help_text=_("If you choose none, we write to you in the best language you speak that we know."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _blank(_("Not chosen")) + [
            (code, get_language_info(code)["name_local"]) for code, _name in interface_languages()
        ]

    def clean_display_name(self):
        return _visible_name(self.cleaned_data["display_name"])

    def user_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("display_name", "timezone", "language")}


class MenteeProfileForm(ProfileForm):
    """A mentee's profile adds the birth year: a minor may not make themself an adult (a coordinator can)."""

    birth_year = forms.IntegerField(label=_("Year you were born"))

    def __init__(self, *args, mentee, **kwargs):
        super().__init__(*args, **kwargs)
        self.mentee = mentee

    def clean_birth_year(self):
        return validate_birth_year(self.cleaned_data["birth_year"], mentee=self.mentee)


class VolunteerProfileForm(ProfileForm):
    """A volunteer's profile adds what they offer: never the vetting."""

    bio = forms.CharField(
        label=_("A few words about you"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("What you can help with"),
        queryset=Skill.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    capacity = forms.IntegerField(
        label=_("How many mentees you can take at once"),
        min_value=0,
        max_value=10,
        help_text=_("Set 0 to pause: you will not be proposed new mentees."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].label_from_instance = lambda skill: skill.translated_label

    def clean_bio(self):
        return strip_invisible(self.cleaned_data["bio"])


class SpokenLanguageForm(forms.Form):
    """One language the person speaks, with how well; `languages` are the vocabulary's (code, name)."""

    language = forms.ChoiceField(label=_("Language"))
    level = forms.ChoiceField(label=_("Level"), choices=LanguageLevel.choices, initial=LanguageLevel.FLUENT)

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _blank(_("Choose a language")) + list(languages)


class BaseSpokenLanguageFormSet(forms.BaseFormSet):
    """The person's languages, one row each (a blank row adds one, "Remove" drops one), checked as the API
    checks them: known codes and levels, each language once."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if forms.formsets.DELETION_FIELD_NAME in form.fields:
            form.fields[forms.formsets.DELETION_FIELD_NAME].label = _("Remove")

    def clean(self):
        if any(self.errors):
            return
        codes = [row["language"] for row in self.kept()]
        if len(codes) != len(set(codes)):
            raise forms.ValidationError(_("Each language may appear only once."), code="duplicate")

    def kept(self) -> list[dict]:
        """The rows to store, as the service takes them (after is_valid())."""
        return [
            {"language": form.cleaned_data["language"], "level": form.cleaned_data["level"]}
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


SpokenLanguageFormSet = forms.formset_factory(
    SpokenLanguageForm,
    formset=BaseSpokenLanguageFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    max_num=20,
    validate_max=True,
)


class VettingForm(forms.Form):
    """A coordinator records the outcome of a volunteer's background check."""

    status = forms.ChoiceField(label=_("Outcome"), choices=VettingStatus.choices)
    checked_on = forms.DateField(label=_("Checked on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        checked_on, expires_on = cleaned.get("checked_on"), cleaned.get("expires_on")
        if checked_on and checked_on > timezone.localdate():
            self.add_error("checked_on", _("The check cannot be in the future."))
        if cleaned.get("status") == VettingStatus.VERIFIED:
            if not expires_on:
                self.add_error("expires_on", _("A verified check needs the date it stops being valid."))
            elif expires_on <= timezone.localdate():
                self.add_error("expires_on", _("This date has passed: the check is no longer valid."))
        return cleaned


class ConsentForm(forms.Form):
    """A coordinator records a guardian's consent for a minor."""

    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=120)
    given_on = forms.DateField(label=_("Consent given on"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("How consent was given"), choices=ConsentMethod.choices)

    def clean_given_on(self):
        value = self.cleaned_data["given_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Consent cannot be given in the future."))
        return value


class LogFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("What"), required=False, choices=_blank(_("Everything")) + list(Action.choices))


class MatchRunForm(forms.Form):
    """A coordinator starts a match run; the weights say what counts most this time."""

    need_weight = forms.FloatField(label=_("Weight of covered needs"), min_value=0, max_value=1000, initial=50)
    language_weight = forms.FloatField(label=_("Weight of a shared language"), min_value=0, max_value=1000, initial=20)
    overlap_weight = forms.FloatField(label=_("Weight of time in common"), min_value=0, max_value=1000, initial=30)
    min_overlap_minutes = forms.IntegerField(
        label=_("Least time in common a week (minutes)"), min_value=0, max_value=10080, initial=60
    )

    def run_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "weights": {name: data[name] for name in ("need_weight", "language_weight", "overlap_weight")},
            "min_overlap_minutes": data["min_overlap_minutes"],
        }


class ProposalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("Any status")) + list(PairingStatus.choices)
    )
    match_run = forms.IntegerField(label=_("Match run"), required=False, min_value=1)

    def filters(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if value}


class ReasonForm(forms.Form):
    """Why a coordinator rejects a proposal, or how they closed a report."""

    reason = forms.CharField(label=_("Why"), max_length=500)


class MessageForm(forms.Form):
    """The chat without JavaScript: a plain form; `client_id` (made when the page is drawn) makes a double
    submit store the message once."""

    body = forms.CharField(label=_("Your message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    client_id = forms.CharField(max_length=64, widget=forms.HiddenInput)


class BookSessionForm(forms.Form):
    """Book an hour at the start of one of the pair's suggested stretches (both are free then, each in their
    own zone). A choice stays valid while it still lies inside a suggested stretch, so a page drawn a
    minute ago still books."""

    SESSION = datetime.timedelta(hours=1)
    time = forms.CharField(label=_("When"), widget=forms.RadioSelect)

    def __init__(self, *args, times=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.stretches = list(times)
        choices = []
        for begin, finish in self.stretches:
            start = _next_quarter(begin)
            if start + self.SESSION <= finish:
                label = f"{date_format(timezone.localtime(start), 'SHORT_DATETIME_FORMAT')}"
                choices.append((start.isoformat(), label))
        self.fields["time"].widget.choices = choices
        self.choices = choices

    def clean_time(self):
        try:
            start = datetime.datetime.fromisoformat(self.cleaned_data["time"])
        except ValueError:
            start = None
        if (
            start is None
            or start.tzinfo is None
            or not any(begin <= start and start + self.SESSION <= finish for begin, finish in self.stretches)
        ):
            raise forms.ValidationError(_("Choose one of the suggested times."))
        return start

    def chosen(self) -> tuple:
        start = self.cleaned_data["time"]
        return start, start + self.SESSION


def _next_quarter(moment: datetime.datetime) -> datetime.datetime:
    """The moment itself if on a quarter hour, else the next quarter hour."""
    rounded = moment.replace(second=0, microsecond=0)
    if rounded < moment:
        rounded += datetime.timedelta(minutes=1)
    return rounded + datetime.timedelta(minutes=-rounded.minute % 15)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why (the other person will see it)"), max_length=500, required=False)


class SlotFilterForm(forms.Form):
    """Slots by day, language, skill and free places; cleaned data feeds `slot_list`'s filters."""

    day = forms.DateField(label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(label=_("Language"), required=False)
    skill = forms.ChoiceField(label=_("Topic"), required=False)
    free = forms.BooleanField(label=_("Only with free places"), required=False)

    def __init__(self, *args, volunteer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.volunteer = volunteer
        self.fields["skill"].choices = _blank(_("Any topic")) + [
            (skill.slug, skill.translated_label) for skill in Skill.objects.all()
        ]
        self.fields["language"].choices = _blank(_("Any language")) + [
            (language.code, language.native_name) for language in Language.objects.all()
        ]

    def filters(self) -> dict:
        data, found = self.cleaned_data, {"starts_after": timezone.now().isoformat()}
        if data.get("day"):
            midnight = timezone.make_aware(datetime.datetime.combine(data["day"], datetime.time()))
            found["starts_after"] = max(midnight, timezone.now()).isoformat()
            found["starts_before"] = (midnight + datetime.timedelta(days=1)).isoformat()
        for name in ("language", "skill"):
            if data.get(name):
                found[name] = data[name]
        if data.get("free"):
            found["needs_volunteers" if self.volunteer else "has_free_places"] = "true"
        return found


class AvailabilityForm(forms.Form):
    """The weekly grid: one checkbox per day and hour, in the person's own time zone."""

    hours = forms.MultipleChoiceField(
        required=False, choices=[(f"{day}-{hour}", "") for day in range(7) for hour in range(24)]
    )

    def windows(self) -> list[tuple[int, int, int]]:
        picked = (value.split("-") for value in self.cleaned_data["hours"])
        return [(int(day), int(hour) * 60, int(hour) * 60 + 60) for day, hour in picked]


class EraseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("This is not your password."))
        return self.cleaned_data["password"]


class SlotForm(forms.Form):
    """A slot to publish: a coordinator's group slot, or (`one_to_one`) a volunteer's own slot, whose one
    volunteer is its host. The same rules as the API's serializer; cleaned data feeds `slot_create`."""

    topic = forms.CharField(label=_("Topic"), max_length=200)
    start = forms.DateTimeField(
        label=_("Starts at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    end = forms.DateTimeField(
        label=_("Ends at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages"),
        required=False,
        to_field_name="code",
        queryset=Language.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Topics it covers"),
        required=False,
        to_field_name="slug",
        queryset=Skill.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    volunteers_needed = forms.IntegerField(label=_("Volunteers needed"), min_value=1, max_value=100, initial=1)
    mentee_places = forms.IntegerField(label=_("Places for mentees"), min_value=1, max_value=500, initial=1)
    online = forms.BooleanField(label=_("Online"), required=False, initial=True)
    place = forms.CharField(label=_("Place"), max_length=200, required=False, help_text=_("Where, when not online."))

    def __init__(self, *args, one_to_one: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if one_to_one:
            del self.fields["volunteers_needed"]  # the host is the one volunteer
        self.fields["languages"].label_from_instance = lambda language: language.native_name
        self.fields["skills"].label_from_instance = lambda skill: skill.translated_label

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and start <= timezone.now():
            self.add_error("start", _("A slot must start in the future."))
        if start and end and start >= end:
            self.add_error("end", _("The end must come after the start."))
        elif start and end and (end - start).total_seconds() > 12 * 3600:
            self.add_error("end", _("A slot lasts at most 12 hours."))
        if not data.get("online") and not data.get("place", "").strip():
            self.add_error("place", _("Say where the slot takes place, or make it online."))
        return data

    def slot_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["place"] = data["place"].strip()
        return data


# Badges ---------------------------------------------------------------------------------------------------


class ShareForm(forms.Form):
    """The name shown on a shared badge's public page (and nothing else about the holder)."""

    display_name = forms.CharField(
        label=_("Name to show with the badge"),
        max_length=80,
        help_text=_("Anyone with the link sees this name and the badge, nothing else."),
    )


class NominationForm(forms.Form):
    """Put a mentee forward as an agent of change. A volunteer picks one of the mentees they mentor; a
    coordinator, whose organisation may have thousands, gives the mentee's e-mail address."""

    mentee = forms.ModelChoiceField(label=_("Mentee"), queryset=None, empty_label=None)
    mentee_email = forms.EmailField(label=_("The mentee's e-mail address"))
    category = forms.ChoiceField(label=_("What they did"), choices=())
    evidence_text = forms.CharField(
        label=_("What they did, in a few words"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence_url = forms.URLField(
        label=_("A link that shows it (optional)"), max_length=500, required=False, assume_scheme="https"
    )

    def __init__(self, *args, mentees, by_email: bool, **kwargs):
        from badges.models import Contribution

        super().__init__(*args, **kwargs)
        self.mentees = mentees
        self.fields["category"].choices = Contribution.choices
        if by_email:
            del self.fields["mentee"]
        else:
            del self.fields["mentee_email"]
            self.fields["mentee"].queryset = mentees
            self.fields["mentee"].label_from_instance = lambda mentee: mentee.user.display_name

    def clean_mentee_email(self):
        email = self.cleaned_data["mentee_email"]
        mentee = self.mentees.filter(user__email__iexact=email).first()
        if mentee is None:
            raise forms.ValidationError(_("No mentee of your organisation has this address."))
        return mentee

    def nomination_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "mentee": data.get("mentee") or data["mentee_email"],
            "category": data["category"],
            "evidence_text": data["evidence_text"],
            "evidence_url": data["evidence_url"],
        }


class NominationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        from badges.models import NominationStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any"))] + list(NominationStatus.choices)


class VerifyForm(forms.Form):
    """A credential pasted (JWT, JSON or SVG text) or uploaded as a file; at most 256 KB, as the API."""

    credential = forms.CharField(
        label=_("Paste the credential"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("A badge's JWT, its JSON file or its SVG image."),
    )
    file = forms.FileField(label=_("Or upload the file"), required=False)

    def clean(self):
        from badges.api import MAX_CREDENTIAL_BYTES

        data = super().clean()
        upload, text = data.get("file"), data.get("credential", "")
        if upload is not None:
            if upload.size > MAX_CREDENTIAL_BYTES:
                raise forms.ValidationError(_("The file is larger than 256 KB; no credential is that large."))
            try:
                text = upload.read().decode("utf-8").strip()
            except UnicodeDecodeError:
                raise forms.ValidationError(_("This is not text: upload a .jwt, .json or .svg credential.")) from None
        elif len(text.encode()) > MAX_CREDENTIAL_BYTES:
            raise forms.ValidationError(_("The credential is larger than 256 KB; no credential is that large."))
        if not text or "\x00" in text:
            raise forms.ValidationError(_("Paste a credential or upload its file."))
        data["text"] = text
        return data


class BadgeClassForm(forms.Form):
    """A coordinator's own badge: the same rules as the API's serializer (a name without hidden characters,
    #rrggbb, a known language, at most 10 tags of 40 characters); cleaned data feeds `badge_class_create`."""

    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("What the badge says"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    criteria = forms.CharField(
        label=_("What earns it"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=450,
        required=False,
        help_text=_("Separated by commas; at most 10."),
    )
    language = forms.ChoiceField(
        label=_("Language of its texts"), help_text=_("Its credentials carry the texts as written.")
    )
    colour = forms.CharField(
        label=_("Colour"), max_length=7, initial="#2a7ab0", widget=forms.TextInput(attrs={"type": "color"})
    )
    contribution = forms.ChoiceField(
        label=_("Awarded for nominations of this kind"),
        required=False,
        help_text=_("Only one active badge answers each kind."),
    )

    def __init__(self, *args, **kwargs):
        from badges.models import Contribution

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [(language.code, language.native_name) for language in Language.objects.all()]
        self.fields["contribution"].choices = _blank(_("None of these")) + list(Contribution.choices)

    def clean_name(self):
        return _visible_name(self.cleaned_data["name"])

    def clean_description(self):
        return strip_invisible(self.cleaned_data["description"])

    def clean_criteria(self):
        return strip_invisible(self.cleaned_data["criteria"])

    def clean_tags(self):
        tags = [_visible_name(tag.strip()) for tag in self.cleaned_data["tags"].split(",") if tag.strip()]
        if len(tags) > 10:
            raise forms.ValidationError(_("At most 10 tags."))
        if any(len(tag) > 40 for tag in tags):
            raise forms.ValidationError(_("A tag is at most 40 characters long."))
        return tags

    def clean_colour(self):
        from badges.serializers import COLOUR

        colour = self.cleaned_data["colour"]
        if not COLOUR.match(colour):
            raise forms.ValidationError(_("Enter a colour as #rrggbb, e.g. #2a7ab0."))
        return colour.lower()

    def badge_class_fields(self) -> dict:
        return {**self.cleaned_data, "contribution": self.cleaned_data["contribution"] or None}


def _visible_name(text: str) -> str:
    """A name shown to others, refused (not cleaned) when it hides characters, as the API's `NameField`."""
    if has_invisible(text):
        raise forms.ValidationError(
            _("Remove the invisible or text-direction characters (e.g. U+202E) from this text.")
        )
    return text
