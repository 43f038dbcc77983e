"""The pages: the queue by time left, the thread, isolation by guessing ids, and fixed query counts."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.core import periods
from apps.customers import services
from apps.customers.models import Enquiry, EnquiryMessage, Feedback

from . import factories


def raise_enquiry(world, *args, **kwargs):
    """An enquiry raised now (or when told), as the pages show clocks against the real time."""
    kwargs.setdefault("now", timezone.now())
    return factories.raise_enquiry(world, *args, **kwargs)


def _ago(**kwargs):
    return timezone.now() - dt.timedelta(**kwargs)


def _open_enquiries(world, count, partner="havering", service="payroll", **kwargs):
    return [raise_enquiry(world, partner, service, subject=f"Enquiry number {n}", **kwargs) for n in range(count)]


def test_staff_queue_is_ordered_by_time_left_with_warnings_and_breaches(world, client_for):
    now = timezone.now()
    fresh = raise_enquiry(world, subject="Fresh enquiry", priority="low", now=now)
    missed = raise_enquiry(world, subject="Long overdue", now=now - dt.timedelta(days=30))
    newham = raise_enquiry(world, "newham", "council_tax", subject="Newham one", priority="urgent", now=now)
    paused = raise_enquiry(world, subject="Waiting on Havering", now=now)
    services.enquiry_update(
        user=world["users"]["officer.exchequer"], enquiry=paused, status="awaiting_customer", now=now
    )
    body = client_for("officer.exchequer").get("/enquiries/").content.decode()
    positions = [body.index(s) for s in ("Long overdue", "Newham one", "Fresh enquiry", "Waiting on Havering")]
    assert positions == sorted(positions)
    assert body.count('govuk-tag--red">Target missed') == 1
    assert "Clock stopped" in body
    assert fresh.reference in body and missed.reference in body and newham.reference in body


def test_a_warning_shows_once_three_quarters_of_the_target_is_used(world, client_for):
    opened = timezone.now() - dt.timedelta(days=30)
    enquiry = raise_enquiry(world, subject="Nearly due", now=opened)
    elapsed = periods.working_seconds_between(opened, timezone.now())
    # A target of which 80% has been used by now.
    Enquiry.objects.filter(pk=enquiry.pk).update(
        first_response_target_seconds=int(elapsed / 0.8), resolution_target_seconds=int(elapsed / 0.8) + 1
    )
    body = client_for("officer.exchequer").get("/enquiries/").content.decode()
    assert 'govuk-tag--orange">80% used' in body
    assert 'govuk-tag--red">Target missed' not in body


def test_the_queue_filters_breached_enquiries(world, client_for):
    raise_enquiry(world, subject="On time")
    raise_enquiry(world, subject="Long overdue", now=timezone.now() - dt.timedelta(days=30))
    body = client_for("officer.exchequer").get("/enquiries/?breached=true").content.decode()
    assert "Long overdue" in body and "On time" not in body


def test_officers_see_only_their_services_and_the_committee_only_figures(world, client_for):
    raise_enquiry(world, subject="Payroll question")
    raise_enquiry(world, "newham", "it_support", subject="Laptop question")
    ict = client_for("director.ict").get("/enquiries/").content.decode()
    assert "Laptop question" in ict and "Payroll question" in ict  # directors see everything
    exchequer = client_for("officer.exchequer").get("/enquiries/").content.decode()
    assert "Payroll question" in exchequer and "Laptop question" not in exchequer
    committee = client_for("committee")
    body = committee.get("/enquiries/").content.decode()
    assert "Payroll question" not in body and "Laptop question" not in body
    assert "Enquiries by partner and service" in body and "IT Support" in body
    enquiry = Enquiry.objects.get(subject="Payroll question")
    assert committee.get(enquiry.get_absolute_url()).status_code == 404


def test_the_thread_shows_each_reply_with_author_and_time_escaped(world, client_for):
    enquiry = raise_enquiry(world, details="<script>alert('x')</script>")
    services.enquiry_reply(user=world["users"]["officer.exchequer"], enquiry=enquiry, body="Fixed <b>now</b>")
    body = client_for("officer.havering").get(enquiry.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "<script>alert" not in body
    assert "Fixed &lt;b&gt;now&lt;/b&gt;" in body
    assert str(world["users"]["officer.exchequer"]) + " (oneSource)" in body


def test_a_partner_officer_raises_and_replies_through_the_pages(world, client_for):
    client = client_for("officer.havering")
    response = client.post(
        "/enquiries/new/",
        {
            "service": world["services"]["payroll"].pk,
            "subject": "Overtime not paid",
            "priority": "high",
            "details": "Overtime for October is missing.",
        },
    )
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302 and response.url == enquiry.get_absolute_url()
    response = client.post(f"/enquiries/{enquiry.pk}/reply/", {"body": "Also for November."})
    assert response.status_code == 302
    assert enquiry.messages.count() == 2


def test_bad_input_on_the_page_is_shown_and_nothing_stored(world, client_for):
    client = client_for("officer.havering")
    response = client.post(
        "/enquiries/new/",
        {"service": world["services"]["payroll"].pk, "subject": "", "priority": "normal", "details": "x"},
    )
    assert response.status_code == 200
    assert "Enter a subject." in response.content.decode()
    enquiry = raise_enquiry(world)
    response = client.post(f"/enquiries/{enquiry.pk}/reply/", {"body": "y" * 10_001})
    assert "The message is too long: at most 10,000 characters." in response.content.decode()
    with open(__file__, "rb") as handle:
        response = client.post(f"/enquiries/{enquiry.pk}/reply/", {"body": "see file", "attachment": handle})
    assert response.status_code == 302  # a Python file is plain text
    zip_upload = __import__("io").BytesIO(b"PK\x03\x04" + bytes(range(256)))
    zip_upload.name = "data.zip"
    response = client.post(f"/enquiries/{enquiry.pk}/reply/", {"body": "zip", "attachment": zip_upload})
    assert "must be a PDF, PNG or JPEG image, or plain text" in response.content.decode()
    assert enquiry.messages.count() == 2


def test_guessing_another_partners_enquiry_id_is_a_404_and_writes_nothing(world, client_for):
    other = raise_enquiry(world, "newham", "council_tax", subject="Newham only")
    services.enquiry_update(user=world["users"]["officer.exchequer"], enquiry=other, status="resolved")
    client = client_for("officer.havering")
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.post(f"/enquiries/{other.pk}/reply/", {"body": "Let me in"}).status_code == 404
    assert client.post(f"/enquiries/{other.pk}/rate/", {"score": 1}).status_code == 404
    assert client.post(f"/enquiries/{other.pk}/manage/", {"status": "closed"}).status_code == 404
    assert EnquiryMessage.objects.filter(enquiry=other).count() == 1
    assert not Feedback.objects.exists()
    other.refresh_from_db()
    assert other.status == "resolved"


def test_staff_change_status_and_assignee_on_the_page(world, client_for):
    enquiry = raise_enquiry(world)
    exchequer = world["users"]["officer.exchequer"]
    response = client_for("officer.exchequer").post(
        f"/enquiries/{enquiry.pk}/manage/", {"status": "in_progress", "assignee": exchequer.pk}
    )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.assignee) == ("in_progress", exchequer)
    # Staff of another area cannot reach the form at all.
    assert client_for("director.ict").get(f"/enquiries/{enquiry.pk}/manage/").status_code == 404


@pytest.mark.parametrize("count", [5, 30])
def test_the_queue_runs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries, count):
    _open_enquiries(world, count)
    client = client_for("officer.exchequer")
    with django_assert_max_num_queries(6):
        response = client.get("/enquiries/")
    assert response.content.decode().count("Enquiry number") == min(count, 25)


@pytest.mark.parametrize("count", [5, 30])
def test_the_partner_list_runs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries, count):
    _open_enquiries(world, count)
    client = client_for("officer.havering")
    with django_assert_max_num_queries(7):
        response = client.get("/enquiries/")
    assert response.content.decode().count("Enquiry number") == min(count, 25)


def test_an_enquiry_with_50_messages_runs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    payroll = world["services"]["payroll"]
    payroll.lead_officer = world["users"]["officer.exchequer"]
    payroll.save()
    enquiry = raise_enquiry(world)
    staff, customer = world["users"]["officer.exchequer"], world["users"]["officer.havering"]
    for n in range(49):
        services.enquiry_reply(user=staff if n % 2 else customer, enquiry=enquiry, body=f"Message {n}")
    client = client_for("officer.exchequer")
    with django_assert_max_num_queries(6):
        response = client.get(enquiry.get_absolute_url())
    body = response.content.decode()
    assert body.count('class="onesource-thread__message') == 50
    assert "Service lead officer" in body and "officer.exchequer@onesource.example" in body


def test_rating_a_resolved_enquiry_on_the_page(world, client_for):
    enquiry = raise_enquiry(world)
    services.enquiry_update(user=world["users"]["officer.exchequer"], enquiry=enquiry, status="resolved")
    client = client_for("officer.havering")
    assert "Rate how this was handled" in client.get(enquiry.get_absolute_url()).content.decode()
    response = client.post(f"/enquiries/{enquiry.pk}/rate/", {"score": "5", "comment": "Excellent"})
    assert response.status_code == 302
    body = client.get(enquiry.get_absolute_url()).content.decode()
    assert "5 out of 5: Excellent" in body and "Rate how this was handled" not in body


def test_feedback_page_shows_averages_with_responses(world, client_for):
    for partner, service, score in (
        ("havering", "payroll", 4),
        ("havering", "payroll", 5),
        ("newham", "council_tax", 2),
    ):
        services.feedback_log(
            user=world["users"]["admin"],
            partner=world[partner],
            service=world["services"][service],
            source="workshop",
            score=score,
            comment=f"{partner} says {score}",
            received_on=dt.date(2016, 11, 3),
        )
    body = client_for("committee").get("/enquiries/feedback/").content.decode()
    assert "havering says" not in body  # the committee reads figures only
    assert "November 2016" in body and "3.7" in body  # (4 + 5 + 2) / 3 across the month
    body = client_for("officer.havering").get("/enquiries/feedback/").content.decode()
    assert "4.5" in body and "havering says 5" in body and "newham says" not in body


def test_open_actions_are_grouped_by_service(world, client_for):
    admin, exchequer = world["users"]["admin"], world["users"]["officer.exchequer"]
    for service, text, status in (
        ("payroll", "Check payslips", "open"),
        ("it_support", "Faster resets", "open"),
        ("payroll", "Old action", "cancelled"),
    ):
        services.improvement_action_save(
            user=admin,
            service=world["services"][service],
            origin="review",
            review="Annual review",
            learnt="Lesson",
            action=text,
            owner=exchequer,
            due_on=dt.date(2017, 1, 31),
            status=status,
        )
    body = client_for("director.ict").get("/enquiries/actions/").content.decode()
    assert "Check payslips" in body and "Faster resets" in body and "Old action" not in body
    assert body.index("IT Support") < body.index("Payroll")


def test_dashboard_panels(world, client_for):
    raise_enquiry(world, subject="My open enquiry")
    raise_enquiry(world, subject="Overdue enquiry", now=timezone.now() - dt.timedelta(days=30))
    taken = raise_enquiry(world, subject="Taken by the director")
    services.enquiry_update(
        user=world["users"]["director.exchequer"], enquiry=taken, assignee=world["users"]["director.exchequer"]
    )
    body = client_for("officer.havering").get("/").content.decode()
    assert "Your open enquiries" in body and "My open enquiry" in body
    body = client_for("officer.exchequer").get("/").content.decode()
    # A new enquiry nobody has taken on is there to act on, as is an overdue one; another's is not.
    assert "Enquiries to act on" in body and "Overdue enquiry" in body and "My open enquiry" in body
    assert "Taken by the director" not in body
    assert "Taken by the director" in client_for("director.exchequer").get("/").content.decode()
    assert "Enquiries to act on" not in client_for("committee").get("/").content.decode()


def test_a_resolved_enquiry_waiting_for_a_rating_is_flagged_to_the_partner(world, client_for):
    enquiry = raise_enquiry(world, subject="Please rate me")
    services.enquiry_update(user=world["users"]["officer.exchequer"], enquiry=enquiry, status="resolved")
    client = client_for("officer.havering")
    dashboard = client.get("/").content.decode()
    assert "Resolved: waiting for your rating" in dashboard and f"/enquiries/{enquiry.pk}/rate/" in dashboard
    assert "Waiting for your rating" in client.get("/enquiries/").content.decode()
    services.enquiry_rate(user=world["users"]["officer.havering"], enquiry=enquiry, score=4)
    assert "waiting for your rating" not in client.get("/").content.decode().lower()
    assert "Waiting for your rating" not in client.get("/enquiries/").content.decode()


def test_one_form_carries_the_reply_the_status_and_the_assignee(world, client_for):
    enquiry = raise_enquiry(world)
    director = world["users"]["director.exchequer"]
    response = client_for("officer.exchequer").post(
        f"/enquiries/{enquiry.pk}/reply/",
        {"body": "Refunds paid today.", "status": "resolved", "assignee": director.pk},
    )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.assignee) == ("resolved", director)
    assert enquiry.messages.filter(body="Refunds paid today.").exists()
    body = client_for("officer.havering").get(enquiry.get_absolute_url()).content.decode()
    assert "Resolved" in body and str(director) in body and "Nobody yet" not in body


def test_a_staff_reply_takes_the_enquiry_on(world, client_for):
    enquiry = raise_enquiry(world)
    exchequer = world["users"]["officer.exchequer"]
    # The form comes back with the values it was drawn with: open, nobody.
    client_for("officer.exchequer").post(
        f"/enquiries/{enquiry.pk}/reply/", {"body": "Looking into it.", "status": "open", "assignee": ""}
    )
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.assignee) == ("in_progress", exchequer)


def test_an_empty_staff_response_is_refused_naming_the_reply(world, client_for):
    enquiry = raise_enquiry(world)
    response = client_for("officer.exchequer").post(
        f"/enquiries/{enquiry.pk}/reply/", {"body": "", "status": "open", "assignee": ""}
    )
    assert response.status_code == 200
    assert "Enter a reply, or change the status" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.messages.count() == 1 and enquiry.status == "open"


def test_partner_page_section(world, client_for):
    raise_enquiry(world, subject="Havering open one")
    services.feedback_log(
        user=world["users"]["admin"],
        partner=world["havering"],
        service=world["services"]["payroll"],
        source="informal",
        score=3,
        received_on=dt.date(2016, 11, 3),
    )
    body = client_for("officer.exchequer").get("/partners/havering/").content.decode()
    assert "Enquiries and satisfaction" in body and "Havering open one" in body and "3.0" in body
    body = client_for("committee").get("/partners/havering/").content.decode()
    assert "Havering open one" not in body and "3.0" in body


def test_an_attachment_downloads_with_the_type_found_in_its_content(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n" + b"0" * 100
    enquiry = raise_enquiry(world, attachment=SimpleUploadedFile("rota.html", pdf, content_type="text/html"))
    message = enquiry.messages.get()
    response = client_for("officer.exchequer").get(message.get_attachment_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == pdf
    assert client_for("director.ict").get(message.get_attachment_url()).status_code == 200
    assert client_for("committee").get(message.get_attachment_url()).status_code == 404
