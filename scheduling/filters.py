import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from config.filtering import IdFilter, StrictBooleanFilter
from scheduling.models import Pairing, PairingStatus, Slot


class SlotFilter(django_filters.FilterSet):
    starts_after = django_filters.IsoDateTimeFilter(
        field_name="start", lookup_expr="gte", label=_("starts at or after")
    )
    starts_before = django_filters.IsoDateTimeFilter(field_name="start", lookup_expr="lt", label=_("starts before"))
    language = django_filters.CharFilter(
        field_name="languages__code", lookup_expr="exact", label=_("language code"), distinct=True
    )
    skill = django_filters.CharFilter(
        field_name="skills__slug", lookup_expr="exact", label=_("skill slug"), distinct=True
    )
    has_free_places = StrictBooleanFilter(method="filter_free_places", label=_("mentees can still book"))
    needs_volunteers = StrictBooleanFilter(method="filter_needs_volunteers", label=_("volunteers can still sign up"))
    host = IdFilter(field_name="host_id", lookup_expr="exact", label=_("hosting volunteer id"))

    class Meta:
        model = Slot
        fields = ["starts_after", "starts_before", "language", "skill", "has_free_places", "needs_volunteers", "host"]

    # Both rely on the counts annotated by selectors.slot_list.
    def filter_free_places(self, queryset, name, value):
        free = queryset.filter(booking_count__lt=F("mentee_places"))
        return free if value else queryset.exclude(pk__in=free.values("pk"))

    def filter_needs_volunteers(self, queryset, name, value):
        open_ = queryset.filter(signup_count__lt=F("volunteers_needed"))
        return open_ if value else queryset.exclude(pk__in=open_.values("pk"))


class PairingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(field_name="status", lookup_expr="exact", choices=PairingStatus.choices)
    match_run = IdFilter(field_name="match_run_id", lookup_expr="exact")
    volunteer = IdFilter(field_name="volunteer_id", lookup_expr="exact")
    mentee = IdFilter(field_name="mentee_id", lookup_expr="exact")
    pinned = StrictBooleanFilter(field_name="pinned", lookup_expr="exact")

    class Meta:
        model = Pairing
        fields = ["status", "match_run", "volunteer", "mentee", "pinned"]
