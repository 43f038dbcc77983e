import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.worker import broker_for_app, free_port, private_redis

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 60 + "-a-long-random-production-secret-key",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/onesource_settings_check",
    "DJANGO_ALLOWED_HOSTS": "portal.example",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_settings(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"must be set: {missing}" in result.stderr


def test_the_deployment_checklist_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_healthz_answers_200_when_the_database_answers(client, db, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True}, "down": []}


def test_healthz_names_the_broker_when_it_is_down(client, db):
    # A port nothing listens on: the broker is really unreachable.
    with broker_for_app(f"redis://127.0.0.1:{free_port()}/0"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]


def test_healthz_checks_a_broker_that_answers(client, db):
    with private_redis() as redis, broker_for_app(redis.url):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": True, "broker": True}


@pytest.mark.parametrize(
    ("env", "expected"), [({"PORT": "8123"}, "http://127.0.0.1:8123"), ({}, "http://127.0.0.1:8000")]
)
def test_links_in_emails_point_at_the_port_the_portal_is_served_on(env, expected):
    clean = {k: v for k, v in os.environ.items() if k not in ("PORT", "PORTAL_URL")}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from django.conf import settings; print(settings.PORTAL_URL)"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == expected
