"""Client secrets of identity providers: from the environment, or stored encrypted.

A stored secret is encrypted with Fernet (cryptography) under a key derived from SECRET_KEY by HKDF;
the keys of SECRET_KEY_FALLBACKS still decrypt, so a rotated SECRET_KEY keeps stored secrets readable
until they are saved again.
"""

import base64
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_INFO = b"onesource identity provider client secret"


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    return MultiFernet([_fernet(settings.SECRET_KEY), *(_fernet(k) for k in settings.SECRET_KEY_FALLBACKS)])


def encrypt(secret: str) -> str:
    return _keys().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "The stored client secret cannot be read with this SECRET_KEY: enter it again."
        ) from exc


def client_secret_of(provider) -> str:
    if provider.client_secret_env:
        value = os.environ.get(provider.client_secret_env, "")
        if not value:
            raise ImproperlyConfigured(f"The environment variable {provider.client_secret_env} is not set.")
        return value
    return decrypt(provider.client_secret_encrypted)
