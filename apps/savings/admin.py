from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from .models import PartnerShare, Programme, Rephasing, SavingLine, SavingsUpdate, YearTarget
from .services import check_shares


class PartnerShareFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data["percentage"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("percentage")
        ]
        check_shares(kept)


class PartnerShareInline(admin.TabularInline):
    model = PartnerShare
    formset = PartnerShareFormSet
    extra = 0


class YearTargetInline(admin.TabularInline):
    model = YearTarget
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "total", "first_year", "last_year"]


@admin.register(SavingLine)
class SavingLineAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "programme", "area", "owner", "category", "recurrence", "version"]
    list_filter = ["programme", "area", "category", "recurrence", "is_cashable"]
    search_fields = ["reference", "title"]
    inlines = [PartnerShareInline, YearTargetInline]


@admin.register(SavingsUpdate)
class SavingsUpdateAdmin(admin.ModelAdmin):
    """Updates are the audit trail: readable here, never changed."""

    list_display = ["line", "financial_year", "period", "status", "forecast", "achieved", "recorded_by"]
    list_filter = ["status", "financial_year"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rephasing)
class RephasingAdmin(SavingsUpdateAdmin):
    list_display = ["line", "from_year", "to_year", "amount", "recorded_by", "recorded_at"]
    list_filter = ["from_year", "to_year"]
