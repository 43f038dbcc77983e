"""Sign-in through a partner's own OpenID Connect provider, with mozilla-django-oidc.

mozilla-django-oidc reads one provider from settings; here each request's provider is an
``IdentityProvider`` row: chosen by the domain of the work email when sign-in starts, and bound to the
``state`` of that sign-in in the session, so the callback uses the provider the flow began with and no
other. Its endpoints come from the issuer's discovery document (kept in the cache for an hour).

On top of the library (which checks state, nonce, PKCE and the token's signature) the ID token's
``iss``, ``aud``, ``exp`` and ``iat`` are verified here, within a bounded clock skew.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from .backends import read_user
from .models import IdentityProvider

log = logging.getLogger(__name__)

DISCOVERY_TTL = 60 * 60
SESSION_PROVIDERS = "oidc_state_providers"  # state -> provider id, for sign-ins under way
SESSION_PROVIDER = "oidc_provider_id"  # the provider the signed-in user came through


class SignInRefused(SuspiciousOperation):
    """A sign-in the portal refuses; the message is shown to the person."""


def clock_skew() -> int:
    """Seconds of clock difference tolerated with a provider: at most five minutes."""
    return max(0, min(int(getattr(settings, "OIDC_CLOCK_SKEW_SECONDS", 60)), 300))


def discovery(provider: IdentityProvider) -> dict:
    key = f"oidc-discovery:{provider.pk}:{provider.issuer}"
    document = cache.get(key)
    if document is None:
        response = requests.get(
            provider.issuer.rstrip("/") + "/.well-known/openid-configuration",
            timeout=import_from_settings("OIDC_TIMEOUT", 10),
        )
        response.raise_for_status()
        document = response.json()
        if document.get("issuer") != provider.issuer:
            raise SuspiciousOperation(f"The discovery document of {provider.issuer} names another issuer.")
        cache.set(key, document, DISCOVERY_TTL)
    return document


def provider_settings(provider: IdentityProvider) -> dict:
    """The mozilla-django-oidc settings of one provider."""
    document = discovery(provider)
    algorithms = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    return {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": document["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": document["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": document["userinfo_endpoint"],
        "OIDC_OP_JWKS_ENDPOINT": document["jwks_uri"],
        "OIDC_OP_LOGOUT_ENDPOINT": document.get("end_session_endpoint", ""),
        "OIDC_RP_CLIENT_ID": provider.client_id,
        "OIDC_RP_CLIENT_SECRET": provider.client_secret,
        "OIDC_RP_SIGN_ALGO": "RS256" if "RS256" in algorithms else algorithms[0],
        "OIDC_RP_SCOPES": provider.scopes,
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
        "OIDC_TOKEN_USE_BASIC_AUTH": True,
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_CREATE_USER": True,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:sso_callback",
    }


class PartnerProviderBackend(OIDCAuthenticationBackend):
    """Authenticates the callback of a partner's provider; does nothing for any other sign-in."""

    def __init__(self, *args, **kwargs):
        # The provider is known only with the request (see authenticate).
        self.provider = None
        self.provider_config = {}
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    def get_user(self, user_id):
        return read_user(user_id)  # with the partner, as after a password sign-in

    def get_settings(self, attr, *args):
        if attr in self.provider_config:
            return self.provider_config[attr]
        return import_from_settings(attr, *args)

    def authenticate(self, request, **kwargs):
        provider = getattr(request, "oidc_provider", None) if request is not None else None
        if provider is None or "code_verifier" not in kwargs:
            return None
        self.provider = provider
        self.provider_config = provider_settings(provider)
        for name in (
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
            "OIDC_RP_CLIENT_ID",
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_RP_SIGN_ALGO",
        ):
            setattr(self, name, self.provider_config[name])
        self.OIDC_RP_IDP_SIGN_KEY = None
        user = super().authenticate(request, **kwargs)
        if user is not None:
            request.session[SESSION_PROVIDER] = provider.pk
        return user

    def _verify_jws(self, payload, key):
        """The signature, and the claims the library leaves unchecked: iss, aud, exp, iat."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SignInRefused("The ID token is signed with an unexpected algorithm.")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.provider.client_id,
                issuer=self.provider.issuer,
                leeway=clock_skew(),
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidTokenError as exc:
            raise SignInRefused(f"The ID token is not valid: {exc}") from exc

    def retrieve_matching_jwk(self, token):
        try:
            return super().retrieve_matching_jwk(token)
        except SuspiciousOperation as exc:
            raise SignInRefused("The ID token is not signed by this council's provider.") from exc

    def verify_token(self, token, **kwargs):
        try:
            return super().verify_token(token, **kwargs)
        except SignInRefused:
            raise
        except SuspiciousOperation as exc:
            raise SignInRefused(str(exc)) from exc

    def get_or_create_user(self, access_token, id_token, payload):
        from .services import sso_user_for

        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SignInRefused("The provider's user information is about someone else.")
        try:
            return sso_user_for(self.provider, subject=payload["sub"], claims=claims)
        except SignInRefused as exc:
            # Shown on the failure page; the library would only log it.
            self.request.oidc_refusal = str(exc)
            raise


def logout_url(request, provider_id, id_token, post_logout_redirect_uri):
    """The provider and its end-session address (RP-initiated logout), or None when it has none."""
    from urllib.parse import urlencode

    provider = IdentityProvider.objects.filter(pk=provider_id).first()
    if provider is None:
        return None
    try:
        endpoint = discovery(provider).get("end_session_endpoint")
    except (requests.RequestException, SuspiciousOperation, ValueError):
        log.warning("No logout at %s: its discovery document could not be read", provider.issuer)
        return None
    if not endpoint:
        return None
    params = {"client_id": provider.client_id, "post_logout_redirect_uri": post_logout_redirect_uri}
    if id_token:
        params["id_token_hint"] = id_token
    return provider, f"{endpoint}?{urlencode(params)}"
