from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.accounts.tokens import obtain_auth_token

from .api import router

# Each domain app's pages live under the prefix its app mounts at (DESIGN.md "Addresses").
APP_PREFIXES = {
    "accounts": "accounts/",
    "partners": "partners/",
    "catalogue": "services/",
    "slas": "slas/",
    "kpis": "kpis/",
    "savings": "savings/",
    "delivery": "delivery/",
    "transformation": "projects/",
    "customers": "enquiries/",
    "risks": "risks/",
    "growth": "growth/",
    "reports": "reports/",
    "governance": "committee/",
}

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/v1/auth/token/", obtain_auth_token, name="api_token"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
]
for label, prefix in APP_PREFIXES.items():
    if apps.is_installed(f"apps.{label}") and find_spec(f"apps.{label}.urls"):
        urlpatterns.append(path(prefix, include(f"apps.{label}.urls")))
if apps.is_installed("apps.governance"):
    # The committee's public pages: no sign-in.
    urlpatterns.append(path("open/", include("apps.governance.open_urls")))
if settings.BENCH_FLOOR_PAGE:
    urlpatterns.append(path("", include("onesource.bench")))
urlpatterns.append(path("", include("apps.core.urls")))

handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.not_found"
handler500 = "apps.core.views.server_error"
