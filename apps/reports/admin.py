from django.contrib import admin

from .models import CommitteePack, MonthlyReport, PublishedReport


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ["period", "partner", "status", "version", "generated_at"]
    list_filter = ["status", "period"]
    search_fields = ["partner__name"]
    readonly_fields = ["snapshot", "headline", "generated_at", "requested_at", "progress", "error"]


@admin.register(PublishedReport)
class PublishedReportAdmin(admin.ModelAdmin):
    list_display = ["report", "version", "is_latest", "published_at", "published_by"]
    list_filter = ["is_latest"]
    readonly_fields = ["report", "version", "snapshot", "headline", "reason", "published_at", "published_by"]

    def has_change_permission(self, request, obj=None):
        return False  # a published version is frozen


@admin.register(CommitteePack)
class CommitteePackAdmin(admin.ModelAdmin):
    list_display = ["period", "status", "built_at"]
