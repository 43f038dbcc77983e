from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.utils.cache import patch_cache_control

from .inputs import is_storable


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page needs a signed-in user; views opt out with ``@login_not_required``.

    The API answers for itself (401/403 from Django REST framework) instead of redirecting.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class PermissionsPolicyMiddleware:
    """Turn off browser features the portal never uses (Django sets the other security headers)."""

    def __init__(self, get_response):
        self.get_response = get_response
        from django.conf import settings

        self.header = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class UnstorableInputMiddleware:
    """Refuses (400) a request whose path, query string or form fields hold a NUL or a lone surrogate.

    No view is asked to look such a value up (PostgreSQL refuses it mid-query). Uploaded files are not
    looked into: they are read by their own rules (apps/core/spreadsheets.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self._problem(request)
        if problem:
            from .views import bad_request

            return bad_request(request, problem)
        return self.get_response(request)

    @staticmethod
    def _problem(request):
        if not is_storable(request.path):
            return "The address holds a character that cannot be read (a NUL)."
        sources = [(request.GET, "address")]
        if request.method == "POST":
            sources.append((request.POST, "form"))
        for source, name in sources:
            for key, values in source.lists():
                if not is_storable(key) or not all(is_storable(v) for v in values):
                    label = key if is_storable(key) else "a field"
                    return f"The {name} field {label} holds a character that cannot be stored (a NUL); remove it."
        return None


class NoStoreMiddleware:
    """Pages and downloads for a signed-in user are not kept by the browser or a proxy.

    A shared council PC's back button, or a cache between the council and the portal, must not show
    a council's figures to the next person. Static files and anonymous pages are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.META.get("HTTP_AUTHORIZATION"):
            patch_cache_control(response, no_store=True, private=True)
        return response
