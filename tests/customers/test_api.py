"""The API: the same rules as the pages; filters; guessed ids are 404 and write nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.customers import services
from apps.customers.models import Enquiry, EnquiryMessage, Feedback

from . import factories


def raise_enquiry(world, *args, **kwargs):
    kwargs.setdefault("now", timezone.now())
    return factories.raise_enquiry(world, *args, **kwargs)


def _subjects(response):
    return sorted(row["subject"] for row in response.json()["results"])


def test_a_partner_officer_raises_and_follows_an_enquiry(world, api_for):
    api = api_for("officer.havering")
    response = api.post(
        "/api/v1/enquiries/",
        {"service": "payroll", "subject": "Pension deduction wrong", "details": "Since October.", "priority": "high"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["partner"], body["status"], body["priority"]) == ("havering", "open", "high")
    assert body["messages"][0]["body"] == "Since October."
    reply = api_for("officer.exchequer").post(
        f"/api/v1/enquiries/{body['id']}/reply/", {"body": "Corrected in November."}, format="json"
    )
    assert reply.status_code == 201
    detail = api.get(f"/api/v1/enquiries/{body['id']}/").json()
    assert [m["body"] for m in detail["messages"]] == ["Since October.", "Corrected in November."]
    assert detail["messages"][1]["from_staff"] is True
    assert detail["first_response_met"] is True


def test_bad_input_is_a_400_naming_the_field_and_stores_nothing(world, api_for):
    api = api_for("officer.havering")
    response = api.post("/api/v1/enquiries/", {"service": "payroll", "subject": "", "details": "x"}, format="json")
    assert response.status_code == 400 and response.json() == {"subject": ["Enter a subject."]}
    huge = "x" * (10 * 1024 * 1024)
    response = api.post("/api/v1/enquiries/", {"service": "payroll", "subject": "Big", "details": huge}, format="json")
    assert response.status_code == 400
    assert "a message is at most 10,000 characters" in response.json()["non_field_errors"][0]
    response = api.post("/api/v1/enquiries/", {"service": "payroll", "subject": "Long", "details": "y" * 10_001})
    assert response.json()["details"] == ["The message is too long: at most 10,000 characters."]
    assert Enquiry.objects.count() == 0 and EnquiryMessage.objects.count() == 0


def test_guessing_another_partners_enquiry_is_a_404_and_writes_nothing(world, api_for):
    other = raise_enquiry(world, "newham", "council_tax", subject="Newham only")
    services.enquiry_update(user=world["users"]["officer.exchequer"], enquiry=other, status="resolved")
    api = api_for("officer.havering")
    assert api.get(f"/api/v1/enquiries/{other.pk}/").status_code == 404
    assert api.post(f"/api/v1/enquiries/{other.pk}/reply/", {"body": "hi"}, format="json").status_code == 404
    assert api.post(f"/api/v1/enquiries/{other.pk}/rate/", {"score": 1}, format="json").status_code == 404
    assert api.post(f"/api/v1/enquiries/{other.pk}/change/", {"status": "closed"}, format="json").status_code == 404
    assert EnquiryMessage.objects.filter(enquiry=other).count() == 1
    assert not Feedback.objects.exists()
    other.refresh_from_db()
    assert other.status == "resolved"


def test_staff_change_status_and_assignee(world, api_for):
    enquiry = raise_enquiry(world)
    api = api_for("officer.exchequer")
    response = api.post(
        f"/api/v1/enquiries/{enquiry.pk}/change/",
        {"status": "awaiting_customer", "assignee": "officer.exchequer"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["assignee"]) == ("awaiting_customer", "officer.exchequer")
    assert response.json()["paused_at"] is not None
    response = api.post(f"/api/v1/enquiries/{enquiry.pk}/change/", {"assignee": "director.ict"}, format="json")
    assert response.status_code == 400 and "assignee" in response.json()
    # The customer may not change the status of their own enquiry.
    assert (
        api_for("officer.havering").post(f"/api/v1/enquiries/{enquiry.pk}/change/", {"status": "closed"}).status_code
        == 404
    )


def test_enquiry_filters(world, api_for):
    now = timezone.now()
    raise_enquiry(world, subject="Havering payroll")
    raise_enquiry(world, "newham", "council_tax", subject="Newham council tax")
    raise_enquiry(world, "newham", "it_support", subject="Newham laptop", now=now - dt.timedelta(days=40))
    closed = raise_enquiry(world, subject="Havering closed")
    services.enquiry_update(user=world["users"]["admin"], enquiry=closed, status="closed")
    api = api_for("admin")
    assert _subjects(api.get("/api/v1/enquiries/?partner=newham")) == ["Newham council tax", "Newham laptop"]
    assert _subjects(api.get("/api/v1/enquiries/?service=payroll")) == ["Havering closed", "Havering payroll"]
    assert _subjects(api.get("/api/v1/enquiries/?status=closed")) == ["Havering closed"]
    assert _subjects(api.get("/api/v1/enquiries/?breached=true")) == ["Newham laptop"]
    since = (now - dt.timedelta(days=1)).date().isoformat()
    assert "Newham laptop" not in _subjects(api.get(f"/api/v1/enquiries/?opened_after={since}"))
    until = (now - dt.timedelta(days=20)).date().isoformat()
    assert _subjects(api.get(f"/api/v1/enquiries/?opened_before={until}")) == ["Newham laptop"]


def test_the_committee_reads_figures_not_enquiries(world, api_for):
    raise_enquiry(world)
    services.feedback_log(
        user=world["users"]["admin"],
        partner=world["havering"],
        service=world["services"]["payroll"],
        source="informal",
        score=4,
        comment="secret",
        received_on=dt.date(2016, 11, 1),
    )
    api = api_for("committee")
    assert api.get("/api/v1/enquiries/").json()["count"] == 0
    assert api.get("/api/v1/enquiry-messages/").json()["count"] == 0
    assert api.get("/api/v1/feedback/").json()["count"] == 0
    assert api.get("/api/v1/feedback/averages/?by=partner").json() == [
        {"partner": "Havering", "average": 4.0, "responses": 1}
    ]


@pytest.mark.parametrize("count", [5, 40])
def test_enquiry_list_runs_a_fixed_number_of_queries(world, api_for, django_assert_max_num_queries, count):
    for n in range(count):
        raise_enquiry(world, subject=f"Enquiry {n}")
    api = api_for("officer.exchequer")
    with django_assert_max_num_queries(4):
        response = api.get("/api/v1/enquiries/")
    assert response.json()["count"] == count


@pytest.mark.parametrize("count", [5, 40])
def test_message_and_action_lists_run_a_fixed_number_of_queries(world, api_for, django_assert_max_num_queries, count):
    enquiry = raise_enquiry(world)
    for n in range(count):
        services.enquiry_reply(user=world["users"]["officer.exchequer"], enquiry=enquiry, body=f"Reply {n}")
        services.improvement_action_save(
            user=world["users"]["admin"],
            service=world["services"]["payroll"],
            origin="review",
            review="R",
            learnt="L",
            action=f"A{n}",
            owner=world["users"]["officer.exchequer"],
            due_on=dt.date(2017, 1, 1),
        )
    api = api_for("officer.havering")
    for path in ("/api/v1/enquiry-messages/", "/api/v1/improvement-actions/", "/api/v1/feedback/"):
        with django_assert_max_num_queries(4):
            assert api.get(path).status_code == 200


def test_a_partner_officer_cannot_filter_their_way_to_another_partner(world, api_for):
    raise_enquiry(world, "newham", "council_tax", subject="Newham only")
    response = api_for("officer.havering").get("/api/v1/enquiries/?partner=newham")
    assert response.status_code == 400 and "Newham only" not in response.content.decode()
