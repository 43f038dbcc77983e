"""A saving line's page lists the committee's decisions on it, as far as the reader may read them."""

import pytest

from apps.governance import services
from apps.governance.models import Meeting
from tests.savings.factories import make_line

from . import factories as gf

pytestmark = pytest.mark.django_db


def _decide(world, line, count):
    admin = world["users"]["admin"]
    meeting = gf.meeting(world, days_ahead=-30, hold=True)
    item = meeting.items.get(title="Performance report")
    decisions = [
        services.decision_record(
            user=admin, item=item, wording=f"That saving {line.reference} be re-phased, step {n}.", saving_lines=[line]
        )
        for n in range(count)
    ]
    return meeting, decisions


@pytest.mark.parametrize("count", [1, 4])
def test_the_line_page_lists_its_decisions_in_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries, count
):
    line = make_line(
        area=world["areas"]["ICT"],
        partners={world["havering"]: "60.00", world["newham"]: "40.00"},
        targets={2016: "1000.00"},
        reference="ICT-SHARED",
    )
    other = make_line(area=world["areas"]["ICT"], partners={world["havering"]: "100.00"}, targets={2016: "10.00"})
    meeting, decisions = _decide(world, line, count)
    director = client_for("director.ict")
    assert "Joint Committee decisions" not in director.get(other.get_absolute_url()).content.decode()
    with django_assert_max_num_queries(12):
        page = director.get(line.get_absolute_url()).content.decode()
    assert "Joint Committee decisions" in page
    for decision in decisions:
        assert f'href="{decision.get_absolute_url()}"' in page

    partner = client_for("officer.havering")
    page = partner.get(line.get_absolute_url()).content.decode()
    assert page.count("re-phased, step") == 0  # minutes not yet approved: not public
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.MINUTES_APPROVED)
    with django_assert_max_num_queries(12):
        page = partner.get(line.get_absolute_url()).content.decode()
    assert page.count("re-phased, step") == count
    assert f'href="{meeting.get_public_url()}"' in page
    assert decisions[0].get_absolute_url() not in page
