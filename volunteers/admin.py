from django.contrib import admin

from common.admin import ChangedFieldsOnlyAdmin
from volunteers.models import Volunteer


@admin.register(Volunteer)
class VolunteerAdmin(ChangedFieldsOnlyAdmin):
    list_display = ["user", "capacity", "vetting_status", "vetting_expires_on"]
    list_filter = ["vetting_status", "user__organisation"]
    search_fields = ["user__display_name", "user__email"]
    filter_horizontal = ["skills"]
    raw_id_fields = ["user"]
    # organisation is the user's, copied for the lists' index: it changes with the user, not here
    readonly_fields = [
        "organisation",
        "vetting_status",
        "vetting_checked_on",
        "vetting_expires_on",
        "vetting_recorded_by",
    ]
