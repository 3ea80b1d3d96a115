from django.contrib import admin

from safeguarding.models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence; nobody adds, edits or deletes entries by hand."""

    list_display = ["at", "organisation", "action", "actor", "subject", "object_type", "object_id"]
    list_filter = ["action", "organisation"]
    list_select_related = ["actor", "subject", "organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
