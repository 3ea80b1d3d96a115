from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Language, Skill
from accounts.selectors import Vocabulary
from config.text import NameField, PlainTextField
from mentees.models import Mentee
from scheduling import availability, matching
from scheduling.models import DAY_CODES, EndKind, MatchRun, MentoringSession, Pairing, Slot
from scheduling.reasons import render_reasons
from volunteers.models import Volunteer


class WindowSerializer(serializers.Serializer):
    day = serializers.ChoiceField(choices=[(code, code) for code in DAY_CODES])
    start = serializers.CharField(max_length=5, help_text=_("HH:MM, local time"))
    end = serializers.CharField(max_length=5, help_text=_("HH:MM, local time; 24:00 is midnight"))

    def _minutes(self, value: str, field: str) -> int:
        try:
            return availability.parse_hhmm(value)
        except ValueError:
            raise serializers.ValidationError({field: [_("Enter a time as HH:MM, e.g. 18:30.")]}) from None

    def validate(self, attrs):
        start, end = self._minutes(attrs["start"], "start"), self._minutes(attrs["end"], "end")
        if start >= 1440:
            raise serializers.ValidationError({"start": [_("A window cannot start at 24:00.")]})
        if start >= end:
            raise serializers.ValidationError({"end": [_("The end must come after the start.")]})
        return {"day": DAY_CODES.index(attrs["day"]), "start": start, "end": end}

    def to_representation(self, window):
        day, start, end = window
        return {
            "day": DAY_CODES[day],
            "start": availability.format_minutes(start),
            "end": availability.format_minutes(end),
        }


class AvailabilitySerializer(serializers.Serializer):
    timezone = serializers.CharField(read_only=True, help_text=_("The time zone the windows are shown in."))
    windows = WindowSerializer(many=True, max_length=50)

    def validate_windows(self, value):
        return [(w["day"], w["start"], w["end"]) for w in value]


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class PairedMenteeSerializer(serializers.ModelSerializer):
    """The mentee as a pairing shows them."""

    display_name = serializers.CharField(source="user.display_name", read_only=True)
    is_minor = serializers.BooleanField(read_only=True)

    class Meta:
        model = Mentee
        fields = ["id", "display_name", "is_minor"]
        read_only_fields = fields


class PairedVolunteerSerializer(serializers.ModelSerializer):
    """The volunteer as a pairing shows them."""

    display_name = serializers.CharField(source="user.display_name", read_only=True)
    vetted = serializers.BooleanField(source="is_vetted", read_only=True)

    class Meta:
        model = Volunteer
        fields = ["id", "display_name", "vetted"]
        read_only_fields = fields


class ReasonTextsField(serializers.ListField):
    """A pairing's reasons in words, in the reader's language."""

    child = serializers.CharField()

    def to_representation(self, data) -> list[str]:
        # one vocabulary for the whole answer: a list and its items share the context
        return render_reasons(data, self.context.setdefault("vocabulary", Vocabulary()))


class SlotSerializer(serializers.ModelSerializer):
    languages = serializers.SlugRelatedField(
        slug_field="code", queryset=Language.objects.all(), many=True, required=False
    )
    skills = serializers.SlugRelatedField(slug_field="slug", queryset=Skill.objects.all(), many=True, required=False)
    host = serializers.PrimaryKeyRelatedField(read_only=True)
    topic = NameField(max_length=200)
    place = NameField(max_length=200, required=False, allow_blank=True, help_text=_("Where, when not online."))
    signup_count = serializers.IntegerField(read_only=True)
    booking_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Slot
        fields = [
            "id",
            "organisation",
            "host",
            "start",
            "end",
            "topic",
            "languages",
            "skills",
            "volunteers_needed",
            "mentee_places",
            "online",
            "place",
            "signup_count",
            "booking_count",
            "created_at",
        ]
        read_only_fields = ["organisation", "created_at"]
        extra_kwargs = {"volunteers_needed": {"max_value": 100}, "mentee_places": {"max_value": 500}}

    def validate(self, attrs):
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start and end and start >= end:
            raise serializers.ValidationError({"end": [_("The end must come after the start.")]})
        if "start" in attrs and attrs["start"] <= timezone.now():
            raise serializers.ValidationError({"start": [_("A slot must start in the future.")]})
        if start and end and (end - start).total_seconds() > 12 * 3600:
            raise serializers.ValidationError({"end": [_("A slot lasts at most 12 hours.")]})
        online = attrs.get("online", getattr(self.instance, "online", True))
        place = attrs.get("place", getattr(self.instance, "place", ""))
        if not online and not place:
            raise serializers.ValidationError({"place": [_("Say where the slot takes place, or make it online.")]})
        return attrs


class MatchRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatchRun
        fields = [
            "id",
            "organisation",
            "status",
            "progress",
            "stage",
            "weights",
            "min_overlap_minutes",
            "mentees_considered",
            "volunteers_considered",
            "candidate_pairs",
            "matched",
            "total_score",
            "timings",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class MatchRunCreateSerializer(serializers.Serializer):
    weights = serializers.DictField(
        child=serializers.FloatField(min_value=0, max_value=1_000_000),
        required=False,
        default=dict,
        help_text=_("need_weight, language_weight, overlap_weight, overlap_saturation_minutes"),
    )
    min_overlap_minutes = serializers.IntegerField(min_value=15, max_value=600, default=60)

    def validate_weights(self, value):
        try:
            matching.Weights.from_mapping(value)
        except matching.InvalidInstance as exc:
            raise serializers.ValidationError(exc.problems) from None
        return value


class PairingSerializer(serializers.ModelSerializer):
    mentee = PairedMenteeSerializer(read_only=True)
    volunteer = PairedVolunteerSerializer(read_only=True)
    reasons = serializers.JSONField(
        read_only=True,
        help_text=_(
            'Why the matcher proposed the pair, e.g. {"kind": "language", "code": "ar", "level": "native"}, '
            '{"kind": "need", "code": "cv-writing"}, {"kind": "overlap", "minutes": 90}, {"kind": "pinned"}; '
            "a plain string in pairings proposed before reasons were structured."
        ),
    )
    reason_texts = ReasonTextsField(
        source="reasons", read_only=True, help_text=_("The reasons in words, in the reader's language.")
    )

    class Meta:
        model = Pairing
        fields = [
            "id",
            "status",
            "mentee",
            "volunteer",
            "help_request",
            "match_run",
            "score",
            "reasons",
            "reason_texts",
            "pinned",
            "decided_at",
            "rejection_reason",
            "ends_on",
            "ended_at",
            "end_kind",
            "end_reason",
            "suspended_reason",
            "created_at",
        ]
        read_only_fields = fields


class RejectSerializer(serializers.Serializer):
    reason = PlainTextField(max_length=500)


class PinSerializer(serializers.Serializer):
    pinned = serializers.BooleanField()


class EndSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EndKind.choices)
    reason = PlainTextField(max_length=500)


class SuggestedTimeSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class SessionSerializer(serializers.ModelSerializer):
    pairing = serializers.PrimaryKeyRelatedField(queryset=Pairing.objects.none())
    slot = serializers.PrimaryKeyRelatedField(queryset=Slot.objects.none(), required=False, allow_null=True)

    class Meta:
        model = MentoringSession
        fields = [
            "id",
            "pairing",
            "slot",
            "start",
            "end",
            "status",
            "booked_by",
            "marked_by",
            "cancelled_by",
            "cancel_reason",
            "created_at",
        ]
        read_only_fields = ["status", "booked_by", "marked_by", "cancelled_by", "cancel_reason", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # Only the caller's own pairings and their organisation's slots can be named.
            self.fields["pairing"].queryset = Pairing.objects.visible_to(request.user).live()
            self.fields["slot"].queryset = Slot.objects.visible_to(request.user)

    def validate(self, attrs):
        if attrs["start"] >= attrs["end"]:
            raise serializers.ValidationError({"end": [_("The end must come after the start.")]})
        return attrs


class CancelSerializer(serializers.Serializer):
    reason = PlainTextField(max_length=500)
