"""Sign-in with a council account (OpenID Connect) and signing out, also at the council's provider."""

import logging
from urllib.parse import parse_qs, urlsplit

import requests
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .forms import CouncilEmailForm, LoginForm
from .oidc import SESSION_PROVIDER, SESSION_PROVIDERS, SignInRefused, logout_url, provider_settings

log = logging.getLogger(__name__)

FAILED = "We could not sign you in with your council account."


def council_sign_in_offered() -> bool:
    from .models import IdentityProvider

    return IdentityProvider.objects.filter(is_active=True).exists()


class PortalLoginView(auth_views.LoginView):
    """The sign-in page: a council account (where the council has its provider here), or a password."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if council_sign_in_offered():
            context["council_form"] = CouncilEmailForm()
        return context

    def render_to_response(self, context, **kwargs):
        return allow_council_forms(super().render_to_response(context, **kwargs))


def allow_council_forms(response):
    """The council sign-in form is answered by a redirect to the council's provider: the content
    security policy of the page that holds it lets forms go there."""

    from .models import IdentityProvider

    origins = set()
    for provider in IdentityProvider.objects.filter(is_active=True).only("pk", "issuer"):
        origins.add(_origin(provider.issuer))
        document = cache.get(f"oidc-discovery:{provider.pk}:{provider.issuer}")
        if document and document.get("authorization_endpoint"):
            origins.add(_origin(document["authorization_endpoint"]))
    if origins:
        response._csp_update = {"form-action": sorted(origins)}
    return response


def _origin(url):
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _login_page(request, council_form, status=200):
    return allow_council_forms(
        render(
            request,
            "accounts/login.html",
            {"form": LoginForm(request), "council_form": council_form, "next": request.POST.get("next", "")},
            status=status,
        )
    )


def _failure(request, reason="", status=400):
    return render(request, "accounts/sso_failed.html", {"headline": FAILED, "reason": reason}, status=status)


class _StartAtProvider(OIDCAuthenticationRequestView):
    """mozilla-django-oidc's authorisation request (state, nonce, PKCE) for one provider."""

    def __init__(self, provider, **kwargs):
        self.provider = provider
        self.config = provider_settings(provider)
        self.OIDC_OP_AUTH_ENDPOINT = self.config["OIDC_OP_AUTHORIZATION_ENDPOINT"]
        self.OIDC_RP_CLIENT_ID = self.config["OIDC_RP_CLIENT_ID"]

    def get_settings(self, attr, *args):
        return self.config[attr] if attr in self.config else import_from_settings(attr, *args)

    def get_extra_params(self, request):
        return {"login_hint": self.login_hint} if self.login_hint else {}


@login_not_required
def sso_start(request):
    """The work email picks the council's provider; the browser is sent there to sign in."""
    if request.method != "POST":
        return redirect("accounts:login")
    form = CouncilEmailForm(request.POST)
    if not form.is_valid():
        return _login_page(request, form)
    provider = form.provider
    try:
        view = _StartAtProvider(provider)
    except (requests.RequestException, SuspiciousOperation, ImproperlyConfigured, ValueError, KeyError):
        log.exception("The provider %s cannot be reached", provider.issuer)
        return _failure(request, f"{provider.name} cannot be reached just now. Try again later.", status=503)
    view.login_hint = form.cleaned_data["email"]
    view.request = request
    request.GET = request.GET.copy()
    next_url = request.POST.get("next", "")
    if next_url:
        request.GET["next"] = next_url
    response = view.get(request)
    state = parse_qs(urlsplit(response.url).query)["state"][0]
    # The callback of this state may only be completed by this provider.
    providers = request.session.get(SESSION_PROVIDERS, {})
    providers[state] = provider.pk
    request.session[SESSION_PROVIDERS] = dict(list(providers.items())[-10:])
    return response


def _rate_limited(request) -> bool:
    limit = settings.OIDC_CALLBACK_RATE_PER_MINUTE
    key = f"oidc-callback-rate:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, 60)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 60)
        return False


@method_decorator(login_not_required, name="dispatch")
class SSOCallback(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; state, nonce and PKCE are checked."""

    def dispatch(self, request, *args, **kwargs):
        if _rate_limited(request):
            return _failure(request, "Too many sign-in attempts from your network. Wait a minute, then try again.", 429)
        return super().dispatch(request, *args, **kwargs)

    @property
    def failure_url(self):
        return reverse("accounts:login")

    def get_settings(self, attr, *args):
        if attr == "LOGIN_REDIRECT_URL":
            return reverse(settings.LOGIN_REDIRECT_URL)
        return import_from_settings(attr, *args)

    def login_failure(self):
        reason = getattr(self.request, "oidc_refusal", "")
        if self.request.GET.get("error"):
            reason = reason or "Your council's sign-in did not complete."
        return _failure(self.request, reason or "The sign-in was not completed. Start again from the sign-in page.")

    def get(self, request):
        state = request.GET.get("state", "")
        provider_id = request.session.get(SESSION_PROVIDERS, {}).pop(state, None)
        if provider_id is None:
            # An unknown or already used state: a replay, or a sign-in begun in another browser.
            return _failure(request, "This sign-in link has already been used or has expired. Start again.")
        request.session.modified = True
        request.session.save()
        from .models import IdentityProvider

        request.oidc_provider = IdentityProvider.objects.filter(pk=provider_id, is_active=True).first()
        if request.oidc_provider is None:
            return _failure(request, "Your council's sign-in is switched off.")
        if "iss" in request.GET and request.GET["iss"] != request.oidc_provider.issuer:
            # RFC 9207: the answer names another issuer than the one the sign-in began with (a mix-up).
            return _failure(request, "The answer came from another identity provider than your council's.")
        try:
            return super().get(request)
        except SignInRefused as exc:
            log.warning("Sign-in through %s refused: %s", request.oidc_provider.issuer, exc)
            return _failure(
                request, getattr(request, "oidc_refusal", "") or "Your council's answer could not be verified."
            )
        except (SuspiciousOperation, requests.RequestException) as exc:
            log.warning("Sign-in through %s failed: %s", request.oidc_provider.issuer, exc)
            return _failure(request)


class LogoutView(auth_views.LogoutView):
    """Signs out of the portal, then out of the council's provider where it offers that."""

    def post(self, request, *args, **kwargs):
        provider_id = request.session.get(SESSION_PROVIDER)
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if provider_id:
            back = request.build_absolute_uri(reverse("accounts:login"))
            found = logout_url(request, provider_id, id_token, back)
            if found:
                # A page that goes on to the provider: a redirect of the sign-out form would be
                # refused by the content security policy (form-action 'self').
                provider, url = found
                return render(
                    request,
                    "accounts/signed_out.html",
                    {"provider_logout_url": url, "provider_name": provider.name},
                )
        return response
