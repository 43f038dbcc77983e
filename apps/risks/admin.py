from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import MitigatingAction, Risk, RiskAssessment, RiskControl, RiskReminder


class ControlInline(admin.TabularInline):
    model = RiskControl
    extra = 0


class ActionInline(admin.TabularInline):
    model = MitigatingAction
    extra = 0


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "category", "area", "owner", "residual_score", "is_principal", "review_on", "status"]
    list_filter = ["category", "area", "is_principal", "status"]
    search_fields = ["title", "event"]
    inlines = [ControlInline, ActionInline]
    filter_horizontal = ["saving_lines", "activities", "projects", "services", "kpis", "agreements", "partners"]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["risk", "assessed_on", "inherent_score", "residual_score", "assessed_by"]


@admin.register(RiskReminder)
class RiskReminderAdmin(admin.ModelAdmin):
    list_display = ["risk", "kind", "due_on", "sent_at"]
