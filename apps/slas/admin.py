from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agreement, CustomerObligation, ReviewReminder, ServiceSchedule, ServiceStandard


class DraftOnlyInline(admin.TabularInline):
    """An agreement that has been in force is a record: only a draft's content may change."""

    extra = 0

    def _draft(self, obj):
        return obj is None or obj.is_draft

    def has_add_permission(self, request, obj=None):
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._draft(obj) and super().has_delete_permission(request, obj)


class ScheduleInline(DraftOnlyInline):
    model = ServiceSchedule


class StandardInline(DraftOnlyInline):
    model = ServiceStandard


class ObligationInline(DraftOnlyInline):
    model = CustomerObligation


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "version", "partner", "status", "starts_on", "ends_on", "review_due_on"]
    list_filter = ["status", "partner"]
    search_fields = ["reference", "title", "partner__name"]
    # Signatures are made in the portal by the signatories themselves, never typed in here.
    readonly_fields = [
        "partner_signed_by",
        "partner_signed_at",
        "onesource_signed_by",
        "onesource_signed_at",
        "activated_at",
        "status",
    ]
    inlines = [ScheduleInline, StandardInline, ObligationInline]


@admin.register(ReviewReminder)
class ReviewReminderAdmin(admin.ModelAdmin):
    list_display = ["agreement", "review_due_on", "days_before", "created_at"]
    readonly_fields = ["agreement", "review_due_on", "days_before", "recipients"]
