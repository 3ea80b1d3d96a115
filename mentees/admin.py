from django.contrib import admin

from common.admin import ChangedFieldsOnlyAdmin
from mentees.models import HelpRequest, Mentee


@admin.register(Mentee)
class MenteeAdmin(ChangedFieldsOnlyAdmin):
    list_display = ["user", "birth_year", "consent_recorded_at"]
    list_filter = ["user__organisation"]
    search_fields = ["user__display_name", "user__email"]
    raw_id_fields = ["user"]
    readonly_fields = [
        "organisation",
        "consent_guardian_name",
        "consent_given_on",
        "consent_method",
        "consent_recorded_at",
        "consent_recorded_by",
    ]


@admin.register(HelpRequest)
class HelpRequestAdmin(ChangedFieldsOnlyAdmin):
    list_display = ["id", "mentee", "urgency", "status", "created_at"]
    list_filter = ["status", "urgency", "mentee__user__organisation"]
    filter_horizontal = ["needs", "languages"]
    raw_id_fields = ["mentee"]
    readonly_fields = ["organisation", "status", "closed_at"]
