"""With the broker down the portal keeps working and loses no work: a real Redis, stopped and started."""

import pytest
from django.db import transaction

from apps.core.models import OutboxMessage
from apps.core.tasks import send_portal_email
from tests.worker import broker_for_app, celery_worker_process, private_redis, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker():
    with private_redis() as redis, broker_for_app(redis.url):
        yield redis


def test_work_enqueued_while_redis_is_down_runs_once_it_is_back(broker, world, client_for, tmp_path):
    broker.stop()

    # The portal still serves pages, and says what is down.
    officer = client_for("officer.havering")
    assert officer.get("/partners/havering/").status_code == 200
    health = officer.get("/healthz")
    assert health.status_code == 503 and health.json()["down"] == ["broker"]

    # A request that enqueues work succeeds; the work waits in the outbox.
    with transaction.atomic():
        send_portal_email.delay_on_commit(to=["lead@havering.example"], subject="Kept while Redis was down", body="-")
    assert OutboxMessage.objects.count() == 1

    broker.start()
    log = tmp_path / "worker.log"
    with celery_worker_process(broker.url, log):
        # The worker sends what waited as it starts, then runs it.
        assert wait_for(lambda: not OutboxMessage.objects.exists(), timeout=60), log.read_text()
        assert wait_for(lambda: "Kept while Redis was down" in log.read_text(), timeout=60), log.read_text()
