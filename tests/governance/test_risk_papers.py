"""A paper may link to a risk of the register: members follow it to the risk, the public read its title only."""

import pytest
from django.db import IntegrityError, transaction

from apps.governance import services
from apps.governance.models import Paper
from tests.risks.factories import make_risk

from . import factories as gf

pytestmark = pytest.mark.django_db


def test_a_risk_paper_holds_its_risk_and_nothing_else(world):
    item = gf.meeting(world, publish=True).items.get(title="Performance report")
    risk = make_risk(world, title="Exchequer systems fail", is_principal=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Paper.objects.create(item=item, title="No risk", kind=Paper.Kind.RISK)
    with pytest.raises(IntegrityError), transaction.atomic():
        Paper.objects.create(item=item, title="A risk as an upload", kind=Paper.Kind.UPLOAD, risk=risk, file="a.pdf")
    with pytest.raises(IntegrityError), transaction.atomic():
        Paper.objects.create(item=item, title="A risk and a file", kind=Paper.Kind.RISK, risk=risk, file="a.pdf")
    paper = Paper.objects.create(item=item, title="Principal risk", kind=Paper.Kind.RISK, risk=risk)
    assert paper.target == risk


def test_the_clerk_links_a_risk_and_members_follow_it_to_the_risk(world, client_for, django_assert_max_num_queries):
    make_risk(world, title="Printer toner runs low", scores=(5, 5, 4, 4, 2, 2))
    principal = make_risk(world, title="Exchequer systems fail", is_principal=True)
    meeting = gf.meeting(world, publish=True)
    item = meeting.items.get(title="Performance report")
    clerk = client_for("admin")

    form = clerk.get(f"/committee/items/{item.pk}/papers/new/").content.decode()
    assert form.index("Exchequer systems fail (principal risk)") < form.index("Printer toner runs low")
    response = clerk.post(
        f"/committee/items/{item.pk}/papers/new/", {"title": "Principal risk: Exchequer", "kind": "risk"}
    )
    assert "Choose what the paper links to." in response.content.decode()
    clerk.post(
        f"/committee/items/{item.pk}/papers/new/",
        {"title": "Principal risk: Exchequer", "kind": "risk", "risk": principal.pk},
    )
    paper = Paper.objects.get(item=item)
    assert paper.risk == principal

    member = client_for("committee")
    with django_assert_max_num_queries(25):
        page = member.get(meeting.get_absolute_url()).content.decode()
    assert f'href="{paper.get_absolute_url()}">Principal risk: Exchequer</a>' in page
    followed = member.get(paper.get_absolute_url(), follow=True)
    assert followed.redirect_chain[-1][0] == principal.get_absolute_url()
    assert "Exchequer systems fail" in followed.content.decode()


def test_the_public_read_a_risk_papers_title_and_no_link_to_it(world, client):
    risk = make_risk(world, title="Exchequer systems fail", cause="Because of an internal weakness", is_principal=True)

    def prepare(meeting):
        item = meeting.items.get(title="Performance report")
        services.paper_add(
            user=world["users"]["admin"], item=item, title="Principal risk: Exchequer", kind="risk", target=risk
        )

    meeting = gf.meeting(world, publish=True, prepare=prepare)
    paper = Paper.objects.get(kind=Paper.Kind.RISK)
    page = client.get(meeting.get_public_url()).content.decode()
    assert "Principal risk: Exchequer (available to members)" in page
    assert risk.get_absolute_url() not in page
    assert paper.get_absolute_url() not in page
    assert "internal weakness" not in page
    assert client.get(f"/open/papers/{paper.pk}/").status_code == 404
