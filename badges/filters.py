import django_filters
from django.utils.translation import gettext_lazy as _

from badges.models import Award, BadgeClass, Contribution, Milestone, Nomination, NominationStatus
from config.filtering import IdFilter, StrictBooleanFilter


class BadgeClassFilter(django_filters.FilterSet):
    retired = StrictBooleanFilter(field_name="retired_at", lookup_expr="isnull", exclude=True, label=_("retired"))
    milestone = django_filters.ChoiceFilter(field_name="milestone", lookup_expr="exact", choices=Milestone.choices)
    contribution = django_filters.ChoiceFilter(
        field_name="contribution", lookup_expr="exact", choices=Contribution.choices
    )

    class Meta:
        model = BadgeClass
        fields = ["retired", "milestone", "contribution"]


class AwardFilter(django_filters.FilterSet):
    badge_class = IdFilter(field_name="badge_class_id", lookup_expr="exact", label=_("badge class id"))
    recipient = IdFilter(field_name="recipient_id", lookup_expr="exact", label=_("recipient's user id"))
    revoked = StrictBooleanFilter(field_name="revoked_at", lookup_expr="isnull", exclude=True, label=_("revoked"))

    class Meta:
        model = Award
        fields = ["badge_class", "recipient", "revoked"]


class NominationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(field_name="status", lookup_expr="exact", choices=NominationStatus.choices)
    mentee = IdFilter(field_name="mentee_id", lookup_expr="exact", label=_("mentee id"))

    class Meta:
        model = Nomination
        fields = ["status", "mentee"]
