from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import KPI, Measurement, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(KPI)
class KPIAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "area", "unit", "polarity", "is_rate", "data_owner", "is_active"]
    list_filter = ["area", "unit", "polarity", "frequency", "is_rate", "is_active"]
    search_fields = ["code", "name", "definition"]
    autocomplete_fields = ["data_owner"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["kpi", "financial_year", "partner", "value", "tolerance"]
    list_filter = ["financial_year", "kpi__area"]
    search_fields = ["kpi__code", "kpi__name"]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["kpi", "partner", "period", "value", "numerator", "denominator", "status", "source"]
    list_filter = ["status", "source", "kpi__area", "partner"]
    search_fields = ["kpi__code", "kpi__name", "partner__name"]
    date_hierarchy = "period"
    list_select_related = ["kpi", "partner"]
    # Figures change through the entry grid, import and approval services, which check and audit them.
    readonly_fields = ["status", "source", "entered_by", "submitted_by", "submitted_at", "decided_by", "decided_at"]
