"""Committee business for tests: a committee with members for both partners, and its meetings."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from weasyprint import HTML

from apps.core.roles import Role
from apps.governance import services
from apps.governance.models import Committee, Meeting, Membership
from tests import factories as f


def pdf_bytes(text="A paper", pages=1) -> bytes:
    body = "".join(f'<p style="page-break-after: always">{text}, page {n}</p>' for n in range(1, pages + 1))
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def pdf_upload(name="paper.pdf", text="A paper", pages=1):
    return SimpleUploadedFile(name, pdf_bytes(text, pages), content_type="application/pdf")


def committee(world) -> Committee:
    existing = Committee.objects.filter(slug="joint-committee").first()
    if existing:
        return existing
    made = Committee.objects.create(name="oneSource Joint Committee", slug="joint-committee")
    made.councils.set([world["havering"], world["newham"]])
    members = {
        "havering": world["users"]["committee"],
        "newham": f.UserFactory(username="cllr.newham", role=Role.COMMITTEE_MEMBER),
    }
    for slug, user in members.items():
        Membership.objects.create(
            committee=made,
            user=user,
            council=world[slug],
            starts_on=dt.date(2014, 4, 1),
            office="chair" if slug == "havering" else "",
        )
    return made


def meeting(
    world, *, days_ahead=21, publish=False, hold=False, place="Havering Town Hall, Romford", prepare=None
) -> Meeting:
    """A meeting ``days_ahead`` from today (negative: in the past), its agenda published and held on
    request; ``prepare(meeting)`` adds to the agenda before it is published."""
    admin = world["users"]["admin"]
    made = services.meeting_schedule(
        user=admin,
        committee=committee(world),
        meets_on=timezone.localdate() + dt.timedelta(days=days_ahead),
        starts_at=dt.time(18, 30),
        place=place,
    )
    if publish or hold:
        services.agenda_item_add(user=admin, meeting=made, title="Performance report", purpose="information")
        if prepare:
            prepare(made)
        services.agenda_publish(user=admin, meeting=made)
    if hold:
        services.meeting_mark_held(user=admin, meeting=made)
    made.refresh_from_db()
    return made


def read_pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def public_and_exempt_papers(meeting):
    """A public paper on the performance report, and an exempt item with its own paper."""
    from apps.accounts.models import User

    admin = User.objects.get(username="admin")
    item = meeting.items.get(title="Performance report")
    services.paper_add(
        user=admin, item=item, title="Public paper", kind="upload", upload=pdf_upload(text="Public text")
    )
    exempt = services.agenda_item_add(
        user=admin, meeting=meeting, title="Staffing restructure (exempt)", is_exempt=True, exempt_paragraph=1
    )
    services.paper_add(
        user=admin, item=exempt, title="Exempt paper", kind="upload", upload=pdf_upload("exempt.pdf", "Exempt names")
    )
