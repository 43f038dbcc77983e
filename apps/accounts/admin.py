from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "partner", "is_active")
    list_filter = ("role", "partner", "service_areas", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("oneSource", {"fields": ("role", "job_title", "partner", "service_areas")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("oneSource", {"fields": ("role", "partner", "service_areas")}))
    filter_horizontal = ("groups", "user_permissions", "service_areas")
