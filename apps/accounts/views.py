"""Signing in: with a council account (OpenID Connect), the second step of two-factor sign-in, and
signing out, also at the council's provider. The two-factor pages are about the signed-in user's own
account only."""

import logging
from base64 import b32encode
from urllib.parse import parse_qs, urlencode, urlsplit

import django_otp
import requests
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import services
from .forms import CouncilEmailForm, LoginForm, TwoFactorCodeForm
from .middleware import CODE_DUE_SESSION_KEY, pending_step, two_factor_exempt
from .oidc import SESSION_PROVIDER, SESSION_PROVIDERS, SignInRefused, logout_url, provider_settings
from .selectors import has_two_factor, two_factor_status

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


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("core:dashboard")


def _signed_in_with(request, device) -> None:
    django_otp.login(request, device)
    request.session[CODE_DUE_SESSION_KEY] = False


@two_factor_exempt
def two_factor_verify(request):
    step = pending_step(request)
    if step == "enrol":
        return redirect(f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': _next(request)})}")
    if step is None:
        return redirect(_next(request))
    user = request.user
    form = TwoFactorCodeForm(
        request.POST if request.method == "POST" else None,
        check=lambda code: services.second_factor_check(user=user, code=code),
    )
    if request.method == "POST" and form.is_valid():
        _signed_in_with(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = form.device.token_set.count()
            messages.warning(
                request,
                f"You signed in with a recovery code, which will not work again. You have {left} left: "
                "make new ones on your two-factor page if you are running out.",
            )
        return redirect(_next(request))
    # Until the code is given the portal is not open: no navigation to pages that would only send the user back.
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request), "hide_navigation": True}
    )


def _qr_svg(device) -> str:
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title="QR code to scan with your authenticator app", svgclass="onesource-qr", lineclass=None
    )
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code to scan with your authenticator app" ', 1)


@two_factor_exempt
def two_factor_setup(request):
    step = pending_step(request)
    if step == "verify":
        # Someone who has an app proves it before replacing it.
        return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
    user = request.user
    device = services.totp_device_pending(user=user)
    enrolled = {}

    def check(code):
        result = services.two_factor_enrol(user=user, code=code)
        if result is not None:
            enrolled["device"], enrolled["codes"] = result
            return result[0]
        return None

    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None, check=check, recovery=False)
    if request.method == "POST" and form.is_valid():
        _signed_in_with(request, enrolled["device"])
        return render(
            request,
            "accounts/recovery_codes.html",
            {"codes": enrolled["codes"], "next": _next(request), "just_enrolled": True},
        )
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": _next(request),
            "qr_svg": _qr_svg(device),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": step == "enrol",
            "replacing": has_two_factor(user),
            "hide_navigation": step == "enrol",
        },
    )


def two_factor(request):
    return render(request, "accounts/two_factor.html", {"status": two_factor_status(request.user)})


@require_POST
def two_factor_recovery_codes(request):
    if not has_two_factor(request.user):
        messages.info(request, "Set up an authenticator app first: recovery codes come with it.")
        return redirect("accounts:two_factor")
    codes = services.recovery_codes_issue(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:two_factor")})


def two_factor_turn_off(request):
    status = two_factor_status(request.user)
    if not status.may_turn_off:
        if status.required:
            messages.info(request, "Your role must sign in with two-factor authentication, so it stays on.")
        return redirect("accounts:two_factor")
    user = request.user
    turned_off = {}

    def check(code):
        turned_off["done"] = services.two_factor_turn_off(user=user, code=code)
        return turned_off["done"] or None

    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None, check=check)
    if request.method == "POST" and form.is_valid():
        messages.success(request, "Two-factor sign-in is off. You sign in with your password alone.")
        return redirect("accounts:two_factor")
    return render(request, "accounts/two_factor_turn_off.html", {"form": form})
