"""Runs tests/oidc/provider.mjs: a real OpenID provider (oidc-provider) with one issuer per council.

``make test`` installs it first (``npm ci --prefix tests/oidc``). A missing install fails the tests
that need it rather than skipping them, so CI cannot pass with the provider untested.
"""

import json
import os
import shutil
import socket
import subprocess  # nosec B404: runs our own test provider script
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

HERE = Path(__file__).parent / "oidc"
CLIENT_ID = "onesource-portal"
CLIENT_SECRET = "test-client-secret-of-the-portal-0123456789"  # nosec B105: a test provider's


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Issuer:
    name: str
    url: str
    accounts: list = field(default_factory=list)

    def control(self, path, payload=None):
        response = requests.post(f"{self.url}/__test__/{path}", json=payload or {}, timeout=10)
        response.raise_for_status()
        return response.json()

    def tamper(self, mode: str):
        """Alter the next ID tokens this issuer gives out (see provider.mjs); "" stops it."""
        return self.control("tamper", {"mode": mode})

    def disable(self, account_id: str):
        return self.control(f"accounts/{account_id}/disable")

    def logouts(self) -> int:
        return requests.get(f"{self.url}/__test__/logouts", timeout=10).json()["logouts"]


class LocalProvider:
    """The provider process: ``issuers`` maps a council's name to its issuer."""

    def __init__(self, portal_url: str, issuers: dict[str, list[dict]]):
        node = shutil.which("node")
        assert node, "Node.js is needed for the local OpenID provider"
        assert (HERE / "node_modules" / "oidc-provider").exists(), "run `npm ci --prefix tests/oidc` first"
        portal_url = portal_url.rstrip("/")
        specs = [{"name": name, "port": free_port(), "accounts": accounts} for name, accounts in issuers.items()]
        config = {
            "client": {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [f"{portal_url}/accounts/sso/callback/"],
                "post_logout_redirect_uris": [f"{portal_url}/accounts/login/"],
            },
            "issuers": specs,
        }
        handle, self.config_path = tempfile.mkstemp(suffix=".json", prefix="oidc-provider-")
        with os.fdopen(handle, "w") as out:
            json.dump(config, out)
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(  # nosec B603: our own script, no shell
            [node, str(HERE / "provider.mjs"), self.config_path], stdout=self.log, stderr=subprocess.STDOUT
        )
        self.issuers = {
            spec["name"]: Issuer(spec["name"], f"http://127.0.0.1:{spec['port']}", spec["accounts"]) for spec in specs
        }
        for issuer in self.issuers.values():
            self._wait_for(issuer)

    def _wait_for(self, issuer):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"the OpenID provider stopped: {self.log.read().decode()}")
            try:
                if requests.get(f"{issuer.url}/.well-known/openid-configuration", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the OpenID provider at {issuer.url} did not start")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        os.unlink(self.config_path)


def register(issuer: Issuer, partner, domains, *, name=None):
    """The portal's row for a council's provider, as an admin would enter it (the secret encrypted)."""
    from apps.accounts import secrets
    from apps.accounts.models import IdentityProvider, IdentityProviderDomain

    provider = IdentityProvider(
        partner=partner,
        name=name or f"{partner.short_name} staff account",
        issuer=issuer.url,
        client_id=CLIENT_ID,
        client_secret_encrypted=secrets.encrypt(CLIENT_SECRET),
    )
    provider.full_clean()
    provider.save()
    for domain in domains:
        IdentityProviderDomain.objects.create(provider=provider, domain=domain)
    return provider
