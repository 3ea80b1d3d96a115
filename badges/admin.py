"""Admin for badges. Awards, nominations and revocations move through their services (which check who
may and publish revocations), so their decision fields are read-only here. The issuer key's private half
is not a field of any admin page: not shown, not editable, not searchable."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from badges import issuing
from badges.models import Award, BadgeClass, IssuerKey, Nomination
from common.admin import ChangedFieldsOnlyAdmin

# Evidence links typed without a scheme are https (Django 6's default, chosen now).
HTTPS_LINKS = {models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}}


@admin.register(BadgeClass)
class BadgeClassAdmin(ChangedFieldsOnlyAdmin):
    list_display = ["__str__", "organisation", "milestone", "contribution", "language", "retired_at"]
    list_filter = ["organisation", "milestone", "contribution"]
    search_fields = ["name"]
    readonly_fields = ["milestone", "created_by", "created_at", "updated_at"]


@admin.register(Award)
class AwardAdmin(ChangedFieldsOnlyAdmin):
    list_display = ["id", "badge_class", "organisation", "recipient", "issued_at", "revoked_at"]
    list_filter = ["organisation", "milestone"]
    raw_id_fields = ["recipient", "awarded_by", "revoked_by"]
    readonly_fields = [
        "uid",
        "badge_class",
        "organisation",
        "recipient",
        "milestone",
        "issued_at",
        "awarded_by",
        "status_index",
        "identity_hash",
        "revoked_at",
        "revoked_by",
        "revoked_reason",
        "share_slug",
        "shared_at",
    ]
    exclude = ["salt"]
    formfield_overrides = HTTPS_LINKS


@admin.register(Nomination)
class NominationAdmin(ChangedFieldsOnlyAdmin):
    list_display = ["id", "organisation", "mentee", "category", "status", "created_at"]
    list_filter = ["organisation", "status", "category"]
    raw_id_fields = ["mentee", "nominated_by"]
    readonly_fields = ["status", "decided_by", "decided_at", "reason", "award", "organisation"]
    formfield_overrides = HTTPS_LINKS


@admin.register(IssuerKey)
class IssuerKeyAdmin(admin.ModelAdmin):
    """Read-only: keys are made on first use (or come from BADGES_ISSUER_KEYS) and rotated with
    `manage.py rotate_issuer_key`; the one action marks a key compromised (what it signed stops verifying)."""

    list_display = ["kid", "organisation", "created_at", "retired_at", "compromised_at"]
    list_filter = ["organisation"]
    fields = ["organisation", "kid", "public_key_hex", "created_at", "retired_at", "compromised_at"]
    readonly_fields = fields
    actions = ["mark_compromised"]

    @admin.action(description=_("Mark as compromised (what the key signed stops verifying)"))
    def mark_compromised(self, request, queryset) -> None:
        for key in queryset:
            issuing.mark_key_compromised(key)
        self.message_user(request, _("Marked as compromised: %(count)d key(s).") % {"count": len(queryset)})

    @admin.display(description="public key (hex)")
    def public_key_hex(self, key: IssuerKey) -> str:
        return bytes(key.public_key).hex()

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
