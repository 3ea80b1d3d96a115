import django_filters
from django.utils.translation import gettext_lazy as _

from config.filtering import IdFilter
from safeguarding.models import Action, Entry


class EntryFilter(django_filters.FilterSet):
    action = django_filters.MultipleChoiceFilter(field_name="action", lookup_expr="exact", choices=Action.choices)
    actor = IdFilter(field_name="actor_id", lookup_expr="exact", label=_("who (user id)"))
    subject = IdFilter(field_name="subject_id", lookup_expr="exact", label=_("about whom (user id)"))
    object_type = django_filters.CharFilter(field_name="object_type", lookup_expr="exact")
    object_id = IdFilter(field_name="object_id", lookup_expr="exact")
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte", label=_("from (ISO date-time)"))
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt", label=_("before (ISO date-time)"))

    class Meta:
        model = Entry
        fields = ["action", "actor", "subject", "object_type", "object_id", "since", "until"]
