from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, AgendaItem, Committee, CommitteeOfficer, Decision, Meeting, Membership, Minute, Paper


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class OfficerInline(admin.TabularInline):
    model = CommitteeOfficer
    extra = 0


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["councils"]
    inlines = [MembershipInline, OfficerInline]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["meets_on", "starts_at", "place", "status", "pack_status"]
    list_filter = ["status"]
    # Status changes go through the clerk's pages, which publish, build packs and approve minutes.
    readonly_fields = ["status"]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "number", "title", "purpose", "is_exempt", "exempt_paragraph"]
    list_filter = ["purpose", "is_exempt"]


@admin.register(Paper)
class PaperAdmin(SimpleHistoryAdmin):
    list_display = ["title", "item", "kind"]


@admin.register(Minute)
class MinuteAdmin(SimpleHistoryAdmin):
    list_display = ["item", "recorded_by"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["decided_on", "item"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "owner", "due_on", "status"]
    list_filter = ["status"]
