from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Enquiry, EnquiryMessage, Feedback, ImprovementAction, ResponseTarget, SatisfactionSurvey


@admin.register(ResponseTarget)
class ResponseTargetAdmin(SimpleHistoryAdmin):
    list_display = ("service", "priority", "first_response_days", "resolution_days")
    list_filter = ("priority", "service__area")


class EnquiryMessageInline(admin.TabularInline):
    model = EnquiryMessage
    extra = 0
    fields = ("sent_at", "author", "from_staff", "body", "attachment_name")
    readonly_fields = fields
    can_delete = False


@admin.register(Enquiry)
class EnquiryAdmin(SimpleHistoryAdmin):
    # Clocks and statuses change only through the services, so the back office reads them.
    list_display = ("reference", "subject", "partner", "service", "priority", "status", "assignee", "opened_at")
    list_filter = ("status", "priority", "service__area", "partner")
    search_fields = ("subject",)
    readonly_fields = [field.name for field in Enquiry._meta.fields]
    inlines = [EnquiryMessageInline]

    def has_add_permission(self, request):
        return False


@admin.register(SatisfactionSurvey)
class SatisfactionSurveyAdmin(SimpleHistoryAdmin):
    list_display = ("title", "service", "opens_on", "closes_on")


@admin.register(Feedback)
class FeedbackAdmin(SimpleHistoryAdmin):
    list_display = ("partner", "service", "source", "score", "received_on")
    list_filter = ("source", "score", "service__area", "partner")


@admin.register(ImprovementAction)
class ImprovementActionAdmin(SimpleHistoryAdmin):
    list_display = ("action", "service", "origin", "owner", "due_on", "status")
    list_filter = ("status", "origin", "service__area")
