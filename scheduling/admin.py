from django.contrib import admin

from common.admin import ChangedFieldsOnlyAdmin
from scheduling.models import AvailabilityWindow, MatchRun, MentoringSession, Pairing, Slot, SlotBooking, SlotSignup


@admin.register(AvailabilityWindow)
class AvailabilityWindowAdmin(admin.ModelAdmin):
    list_display = ["user", "day", "start_minute", "end_minute"]
    raw_id_fields = ["user"]


class SlotSignupInline(admin.TabularInline):
    model = SlotSignup
    extra = 0
    raw_id_fields = ["volunteer"]


class SlotBookingInline(admin.TabularInline):
    model = SlotBooking
    extra = 0
    raw_id_fields = ["mentee"]


@admin.register(Slot)
class SlotAdmin(ChangedFieldsOnlyAdmin):
    list_display = ["topic", "organisation", "start", "end", "volunteers_needed", "mentee_places", "online"]
    list_filter = ["organisation", "online"]
    inlines = [SlotSignupInline, SlotBookingInline]
    raw_id_fields = ["host", "created_by"]


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["id", "organisation", "status", "matched", "total_score", "created_at"]
    list_filter = ["status", "organisation"]


@admin.register(Pairing)
class PairingAdmin(ChangedFieldsOnlyAdmin):
    list_display = ["id", "mentee", "volunteer", "status", "score", "pinned", "created_at"]
    list_filter = ["status", "organisation", "pinned"]
    raw_id_fields = ["mentee", "volunteer", "help_request", "match_run"]
    readonly_fields = [
        "status",
        "decided_by",
        "decided_at",
        "rejection_reason",
        "ended_at",
        "ended_by",
        "end_kind",
        "end_reason",
        "suspended_reason",
    ]


@admin.register(MentoringSession)
class MentoringSessionAdmin(ChangedFieldsOnlyAdmin):
    list_display = ["id", "pairing", "start", "end", "status"]
    list_filter = ["status"]
    raw_id_fields = ["pairing", "slot", "booked_by", "marked_by", "cancelled_by"]
    readonly_fields = ["organisation"]
