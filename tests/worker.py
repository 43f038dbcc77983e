"""A real Celery worker on a real Redis, for integration tests of tasks (no eager mode, no mocks).

``celery_worker_process(broker_url)`` starts ``celery -A onesource worker`` against the test
database (the test must use ``django_db(transaction=True)`` so the worker sees committed rows).
``private_redis()`` runs a Redis server of the test's own on a free port, which it may stop.
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout=30.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


class RedisServer:
    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self._answers), "redis-server did not start"

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def _answers(self):
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
            return True
        return False


@contextlib.contextmanager
def private_redis():
    server = RedisServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def celery_worker_process(broker_url: str, log_path: Path, extra_env: dict | None = None):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "DJANGO_DEBUG": "true",
        **(extra_env or {}),
    }
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "onesource",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            assert wait_for(lambda: "ready" in log_path.read_text(), timeout=60), log_path.read_text()
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@contextlib.contextmanager
def broker_for_app(url: str):
    """Point the Celery app of this process at ``url`` (not eager) for the duration, then back.

    Celery caches its connection and producer pools on first use, so they are dropped on the way
    in and out; otherwise messages would still go to the broker of an earlier test.
    """
    from django.conf import settings

    from onesource.celery import app

    def reset(broker_url, eager):
        app.conf.update(broker_url=broker_url, task_always_eager=eager)
        app._pool = None
        app.amqp._producer_pool = None

    previous_url, previous_eager = settings.CELERY_BROKER_URL, app.conf.task_always_eager
    settings.CELERY_BROKER_URL = url
    # Shared tasks send through the current app: make sure it is the portal's, whatever a test made before.
    app.set_current()
    app.set_default()
    reset(url, False)
    try:
        yield app
    finally:
        settings.CELERY_BROKER_URL = previous_url
        reset(previous_url or None, previous_eager)
