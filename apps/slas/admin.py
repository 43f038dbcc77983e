from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agreement, CustomerObligation, ReviewReminder, ServiceSchedule, ServiceStandard


class ScheduleInline(admin.TabularInline):
    model = ServiceSchedule
    extra = 0


class StandardInline(admin.TabularInline):
    model = ServiceStandard
    extra = 0


class ObligationInline(admin.TabularInline):
    model = CustomerObligation
    extra = 0


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
