import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.filtering import StrictBooleanFilter
from mentees.models import HelpRequest, HelpRequestStatus, Mentee, Urgency, minor_birth_year_floor

AGE_GROUPS = [("minor", _("Under 18")), ("adult", _("18 or over"))]


def _age_group_q(prefix: str, value: str) -> Q:
    floor = minor_birth_year_floor()
    minor = Q(**{f"{prefix}birth_year__gte": floor})
    return minor if value == "minor" else ~minor


class MenteeFilter(django_filters.FilterSet):
    language = django_filters.CharFilter(
        field_name="user__languages__language_id", lookup_expr="exact", label=_("language code"), distinct=True
    )
    age_group = django_filters.ChoiceFilter(choices=AGE_GROUPS, method="filter_age_group")
    active = StrictBooleanFilter(method="filter_active", label=_("can be matched"))

    class Meta:
        model = Mentee
        fields = ["language", "age_group", "active"]

    def filter_age_group(self, queryset, name, value):
        return queryset.filter(_age_group_q("", value))

    def filter_active(self, queryset, name, value):
        # The same rule as Mentee.objects.active(), on the organisation's own rows, not a subquery of every
        # mentee of every organisation.
        active = queryset.active()
        return active if value else queryset.exclude(pk__in=active.values("pk"))


class HelpRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(field_name="status", lookup_expr="exact", choices=HelpRequestStatus.choices)
    urgency = django_filters.ChoiceFilter(field_name="urgency", lookup_expr="exact", choices=Urgency.choices)
    need = django_filters.CharFilter(
        field_name="needs__slug", lookup_expr="exact", label=_("need (skill slug)"), distinct=True
    )
    language = django_filters.CharFilter(
        field_name="languages__code", lookup_expr="exact", label=_("preferred language code"), distinct=True
    )
    age_group = django_filters.ChoiceFilter(choices=AGE_GROUPS, method="filter_age_group")

    class Meta:
        model = HelpRequest
        fields = ["status", "urgency", "need", "language", "age_group"]

    def filter_age_group(self, queryset, name, value):
        return queryset.filter(_age_group_q("mentee__", value))
