import django_filters
from django.utils.translation import gettext_lazy as _

from config.filtering import StrictBooleanFilter
from volunteers.models import VettingStatus, Volunteer, vetted_q


class VolunteerFilter(django_filters.FilterSet):
    skill = django_filters.CharFilter(
        field_name="skills__slug", lookup_expr="exact", label=_("skill slug"), distinct=True
    )
    language = django_filters.CharFilter(
        field_name="user__languages__language_id", lookup_expr="exact", label=_("language code"), distinct=True
    )
    vetting_status = django_filters.ChoiceFilter(
        field_name="vetting_status", lookup_expr="exact", choices=VettingStatus.choices
    )
    vetted = StrictBooleanFilter(method="filter_vetted", label=_("vetted and not expired"))
    has_capacity = StrictBooleanFilter(method="filter_has_capacity", label=_("can take a mentee"))

    class Meta:
        model = Volunteer
        fields = ["skill", "language", "vetting_status", "vetted", "has_capacity"]

    def filter_vetted(self, queryset, name, value):
        current = vetted_q()
        return queryset.filter(current) if value else queryset.exclude(current)

    def filter_has_capacity(self, queryset, name, value):
        return queryset.filter(capacity__gt=0) if value else queryset.filter(capacity=0)
