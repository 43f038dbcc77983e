"""The councils' sign-in for the load test's SSO mode (``LOAD_SIGN_IN=sso``).

    python scripts/loadtest/councils.py config PORTAL_PORT PROVIDER_PORT > oidc.json
    python scripts/loadtest/councils.py register PROVIDER_PORT

``config`` writes the configuration of tests/oidc/provider.mjs: Havering's issuer on PROVIDER_PORT
and Newham's on the next port, each with LOAD_SSO_ACCOUNTS accounts (``load001@havering.gov.uk``…)
and the portal registered as their client. ``register`` enters both providers in the portal's database
(DATABASE_URL), as an admin would, with the client secret read from LOAD_OIDC_CLIENT_SECRET.
"""

import json
import os
import sys

COUNCILS = {"havering": "havering.gov.uk", "newham": "newham.gov.uk"}
CLIENT_ID = "onesource-portal"
SECRET_VARIABLE = "LOAD_OIDC_CLIENT_SECRET"  # noqa: S105 - the name of the variable
PASSWORD = os.environ.get("LOAD_SSO_PASSWORD", "council-load-password")
ACCOUNTS = int(os.environ.get("LOAD_SSO_ACCOUNTS", "50"))


def config(portal_port: int, provider_port: int) -> dict:
    portal = f"http://127.0.0.1:{portal_port}"
    return {
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": os.environ[SECRET_VARIABLE],
            "redirect_uris": [f"{portal}/accounts/sso/callback/"],
            "post_logout_redirect_uris": [f"{portal}/accounts/login/"],
        },
        "issuers": [
            {
                "name": slug,
                "port": provider_port + n,
                "accounts": [
                    {"id": f"load{i:03}", "email": f"load{i:03}@{domain}", "password": PASSWORD, "name": f"Load {i:03}"}
                    for i in range(1, ACCOUNTS + 1)
                ],
            }
            for n, (slug, domain) in enumerate(COUNCILS.items())
        ],
    }


def register(provider_port: int) -> None:
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onesource.settings")
    import django

    django.setup()
    from apps.accounts.models import IdentityProvider, IdentityProviderDomain
    from apps.partners.models import Partner

    for n, (slug, domain) in enumerate(COUNCILS.items()):
        partner = Partner.objects.get(slug=slug)
        provider, _ = IdentityProvider.objects.update_or_create(
            partner=partner,
            defaults={
                "name": f"{partner.short_name} staff account",
                "issuer": f"http://127.0.0.1:{provider_port + n}",
                "client_id": CLIENT_ID,
                "client_secret_env": SECRET_VARIABLE,
                "is_active": True,
            },
        )
        IdentityProviderDomain.objects.update_or_create(domain=domain, defaults={"provider": provider})


if __name__ == "__main__":
    command, *ports = sys.argv[1:]
    if command == "config":
        json.dump(config(int(ports[0]), int(ports[1])), sys.stdout)
    elif command == "register":
        register(int(ports[0]))
    else:
        raise SystemExit(__doc__)
