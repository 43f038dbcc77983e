from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import audit, selectors
from .contributions import dashboard as dashboard_panels
from .forms import AuditFilterForm, PageForm, read_query
from .policy import is_admin, reader_scope


def dashboard(request):
    panels = dashboard_panels.render_for(request.user, scope=reader_scope(request.user))
    return render(request, "core/dashboard.html", {"panels": panels})


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _error_page(request, status: int, template: str, api_detail: str, **context):
    """An error in the portal's own layout with a way back; the API answers in JSON, as it does everywhere."""
    if _is_api(request):
        return JsonResponse({"detail": api_detail}, status=status)
    return render(request, template, context, status=status)


@login_not_required
def bad_request(request, exception=None):
    """A request the portal cannot read (a bad query value, a character that cannot be stored)."""
    problem = exception if isinstance(exception, str) else "The request could not be read."
    errors = getattr(exception, "errors", None)
    if errors and _is_api(request):
        return JsonResponse({label or "non_field_errors": messages for label, messages in errors}, status=400)
    return _error_page(request, 400, "errors/400.html", problem, problem=problem, errors=errors)


@login_not_required
def permission_denied(request, exception=None):
    return _error_page(request, 403, "errors/403.html", "You do not have permission to do this.")


@login_not_required
def not_found(request, exception=None):
    """An address the URLconf does not know, or a row the user may not see."""
    return _error_page(request, 404, "errors/404.html", "Not found.")


@login_not_required
def server_error(request):
    """Rendered without the request's context: whatever failed (the database, say) is not asked again."""
    if _is_api(request):
        return JsonResponse({"detail": "Something went wrong on the portal's side."}, status=500)
    return HttpResponseServerError(loader.get_template("errors/500.html").render({}))


@login_not_required
def csrf_failure(request, reason=""):
    """The form was open too long, or cookies are off: say so and offer the way back, not Django's page."""
    return _error_page(request, 403, "errors/csrf.html", "CSRF check failed: " + reason)


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
    """Who changed what, and when: the admin's view of every audited record, a page at a time."""
    if not is_admin(request.user):
        raise Http404
    models = audit.audited_models()
    filters = read_query(AuditFilterForm(request.GET, models=models))
    result = audit.audit_entries(
        model_label=filters.get("model") or None,
        username=filters.get("user") or None,
        since=filters.get("since"),
        until=filters.get("until"),
        page=read_query(PageForm(request.GET, last=audit.MAX_PAGES))["page"] or 1,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit.html",
        {
            "form": AuditFilterForm(request.GET or None, models=models),
            "entries": result.entries,
            "audit_page": result,
            "page_query": query.urlencode(),
        },
    )
