"""The second step of signing in, and the user's own two-factor settings. Each page is about the
signed-in user's own account only."""

from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import segno
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from . import services
from .forms import TwoFactorCodeForm
from .middleware import CODE_DUE_SESSION_KEY, pending_step, two_factor_exempt
from .selectors import has_two_factor, two_factor_status


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
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)})


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
