from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Project, ProjectStageChange, ProjectUpdate, Technique


@admin.register(Technique)
class TechniqueAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["title", "area", "stage", "rag", "starts_on", "planned_end_on"]
    list_filter = ["area", "stage", "rag"]
    search_fields = ["title"]
    filter_horizontal = ["techniques", "customers_consulted"]


@admin.register(ProjectStageChange)
class ProjectStageChangeAdmin(admin.ModelAdmin):
    list_display = ["project", "from_stage", "to_stage", "changed_on", "changed_by"]


@admin.register(ProjectUpdate)
class ProjectUpdateAdmin(admin.ModelAdmin):
    list_display = ["project", "posted_on", "rag", "author"]
