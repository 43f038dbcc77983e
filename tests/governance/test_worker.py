"""The agenda pack is built by a real Celery worker on Redis when the agenda is published."""

import io

import pytest
from pypdf import PdfReader

from apps.governance import services
from apps.governance.models import Meeting
from tests.worker import broker_for_app, celery_worker_process, private_redis, wait_for

from . import factories as gf

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_publishing_builds_the_page_numbered_pack_without_exempt_papers(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = world["users"]["admin"]
    meeting = gf.meeting(world, days_ahead=30)
    services.agenda_item_add(user=admin, meeting=meeting, title="Performance report")
    item = meeting.items.get(title="Performance report")
    services.paper_add(
        user=admin, item=item, title="Report", kind="upload", upload=gf.pdf_upload(text="Public text", pages=3)
    )
    exempt = services.agenda_item_add(user=admin, meeting=meeting, title="Staffing", is_exempt=True, exempt_paragraph=1)
    services.paper_add(
        user=admin, item=exempt, title="Names", kind="upload", upload=gf.pdf_upload(text="Exempt names", pages=2)
    )

    with private_redis() as redis, broker_for_app(redis.url):
        env = {"DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
        with celery_worker_process(redis.url, tmp_path / "worker.log", extra_env=env):
            services.agenda_publish(user=admin, meeting=meeting)
            built = wait_for(lambda: Meeting.objects.get(pk=meeting.pk).pack_status in ("ready", "failed"), timeout=90)
    assert built, (tmp_path / "worker.log").read_text()
    meeting.refresh_from_db()
    assert meeting.pack_status == "ready", meeting.pack_error
    with meeting.pack.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    pages = [page.extract_text() for page in reader.pages]
    text = " ".join("\n".join(pages).split())
    agenda_pages = len(pages) - 3
    assert agenda_pages >= 1
    assert meeting.pack_pages == len(pages)
    assert "Public text, page 3" in text
    assert "Exempt names" not in text
    assert "paragraph 1 of Part 1 of Schedule 12A" in text
    assert f"Report, page {agenda_pages + 1}" in " ".join(pages[0].split())  # the agenda says where the paper starts
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
