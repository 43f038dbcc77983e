from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, ActivityUpdate, Outcome, Plan, StrategicObjective


class ObjectiveInline(admin.TabularInline):
    model = StrategicObjective
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status"]
    inlines = [ObjectiveInline]


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    filter_horizontal = ["lead_areas"]


@admin.register(StrategicObjective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "position"]
    list_filter = ["plan"]
    inlines = [OutcomeInline]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "objective", "kind", "owner", "due_on", "status", "progress"]
    list_filter = ["objective__plan", "kind", "status", "lead_areas"]
    search_fields = ["title"]
    filter_horizontal = ["lead_areas", "supported_partners"]
    list_select_related = ["objective", "owner"]


@admin.register(ActivityUpdate)
class ActivityUpdateAdmin(admin.ModelAdmin):
    list_display = ["activity", "posted_on", "status", "progress", "author"]
    list_select_related = ["activity", "author"]
