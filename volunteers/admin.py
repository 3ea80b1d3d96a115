from django.contrib import admin

from volunteers.models import Volunteer


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ["user", "capacity", "vetting_status", "vetting_expires_on"]
    list_filter = ["vetting_status", "user__organisation"]
    search_fields = ["user__display_name", "user__email"]
    filter_horizontal = ["skills"]
    raw_id_fields = ["user", "vetting_recorded_by"]
