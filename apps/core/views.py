from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import audit, selectors
from .contributions import dashboard as dashboard_panels
from .forms import AuditFilterForm
from .policy import is_admin


def dashboard(request):
    return render(request, "core/dashboard.html", {"panels": dashboard_panels.render_for(request.user)})


@login_not_required
def not_found(request, exception):
    """An address the URLconf does not know: the API answers in JSON, as it does for every other error."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


@login_not_required
def accessibility(request):
    return render(request, "core/accessibility.html")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = selectors.health_checks()
    down = [name for name, ok in checks.items() if not ok]
    body = {"status": "ok" if not down else "down", "checks": checks, "down": down}
    return JsonResponse(body, status=503 if down else 200)


def audit_trail(request):
    """Who changed what, and when: the admin's view of every audited record."""
    if not is_admin(request.user):
        raise Http404
    models = audit.audited_models()
    form = AuditFilterForm(request.GET or None, models=models)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit.audit_entries(
        model_label=filters.get("model") or None,
        username=filters.get("user") or None,
        since=filters.get("since"),
        until=filters.get("until"),
    )
    return render(request, "core/audit.html", {"form": form, "entries": entries})
