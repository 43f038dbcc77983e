from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors
from .contributions import dashboard as dashboard_panels


def dashboard(request):
    return render(request, "core/dashboard.html", {"panels": dashboard_panels.render_for(request.user)})


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
