from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import OnboardingTask, Opportunity, TradedIncome, TradedIncomeActual


class TaskInline(admin.TabularInline):
    model = OnboardingTask
    extra = 0


@admin.register(Opportunity)
class OpportunityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partner", "organisation_name", "stage", "expected_annual_value", "probability"]
    list_filter = ["stage", "value_kind"]
    search_fields = ["title", "organisation_name"]
    filter_horizontal = ["services"]
    inlines = [TaskInline]


class ActualInline(admin.TabularInline):
    model = TradedIncomeActual
    extra = 0


@admin.register(TradedIncome)
class TradedIncomeAdmin(SimpleHistoryAdmin):
    list_display = ["partner", "service", "financial_year", "budget"]
    list_filter = ["financial_year"]
    inlines = [ActualInline]
