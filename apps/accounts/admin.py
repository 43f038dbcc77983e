from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from . import secrets
from .models import ExternalIdentity, IdentityProvider, IdentityProviderDomain, User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "partner", "is_active")
    list_filter = ("role", "partner", "service_areas", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("oneSource", {"fields": ("role", "job_title", "partner", "service_areas")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("oneSource", {"fields": ("role", "partner", "service_areas")}))
    filter_horizontal = ("groups", "user_permissions", "service_areas")


class IdentityProviderDomainInline(admin.TabularInline):
    model = IdentityProviderDomain
    extra = 1


class IdentityProviderForm(forms.ModelForm):
    issuer = forms.URLField(
        assume_scheme="https",
        max_length=300,
        help_text=IdentityProvider._meta.get_field("issuer").help_text,
    )
    client_secret = forms.CharField(
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted, and never shown again. Leave empty to keep the stored secret, or name an "
        "environment variable above instead.",
    )

    class Meta:
        model = IdentityProvider
        fields = ("partner", "name", "issuer", "client_id", "client_secret_env", "scopes", "is_active")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("client_secret"):
            self.instance.client_secret_encrypted = secrets.encrypt(cleaned["client_secret"])
        if not cleaned.get("client_secret_env") and not self.instance.client_secret_encrypted:
            self.add_error("client_secret", "Give the client secret, or the environment variable that holds it.")
        return cleaned


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    """A partner's own sign-in: registered by the council's IT team with the portal's redirect address."""

    form = IdentityProviderForm
    list_display = ("name", "partner", "issuer", "is_active")
    list_filter = ("is_active",)
    inlines = [IdentityProviderDomainInline]


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = ("user", "provider", "subject", "created_at")
    list_filter = ("provider",)
    readonly_fields = ("user", "provider", "subject", "created_at")
