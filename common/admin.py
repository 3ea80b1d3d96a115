"""Admin helpers every app's admin shares."""

from django.contrib import admin


class ChangedFieldsOnlyAdmin(admin.ModelAdmin):
    """Saves only the fields the form changed: a full save of the copy loaded when the page opened would
    undo a decision someone made meanwhile. Decision fields (vetting, consent, statuses) are read-only
    here: they move only through their services, which lock, re-check and log."""

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        fields = [name for name in form.changed_data if name in {f.name for f in obj._meta.concrete_fields}]
        if any(field.name == "updated_at" for field in obj._meta.concrete_fields):
            fields.append("updated_at")
        if fields:
            obj.save(update_fields=fields)
        return None
