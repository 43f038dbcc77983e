"""Raising, replying, assigning, rating: the rules a user meets, and bad input rejected whole."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.customers import services
from apps.customers.models import Enquiry, EnquiryMessage, Feedback, ImprovementAction

from .factories import MONDAY, at, raise_enquiry

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _counts():
    return Enquiry.objects.count(), EnquiryMessage.objects.count()


def test_a_partner_officer_raises_an_enquiry_with_its_first_message(world):
    enquiry = raise_enquiry(world, attachment=SimpleUploadedFile("payslip.png", PNG, content_type="image/png"))
    assert enquiry.partner == world["havering"]
    assert enquiry.status == Enquiry.Status.OPEN
    message = enquiry.messages.get()
    assert message.body == "Three staff did not receive their October payslip."
    assert message.attachment_name == "payslip.png"
    assert message.attachment.name.endswith(".png")


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"subject": "   "}, "subject", "Enter a subject."),
        ({"details": "x" * (10 * 1024 * 1024)}, "details", "too long"),
        ({"details": ""}, "details", "Enter a message."),
        (
            {"attachment": SimpleUploadedFile("report.exe", b"MZ\x90\x00\x03" + b"\x00" * 100)},
            "attachment",
            "must be a PDF, PNG or JPEG image, or plain text",
        ),
        (
            {"attachment": SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024))},
            "attachment",
            "too large",
        ),
    ],
)
def test_bad_input_is_rejected_whole_with_a_clear_message(world, data, field, text):
    with pytest.raises(ValidationError) as error:
        raise_enquiry(world, **data)
    assert text in " ".join(error.value.message_dict[field])
    assert _counts() == (0, 0)


def test_an_image_that_claims_to_be_a_pdf_is_judged_by_its_content(world):
    fake = SimpleUploadedFile("invoice.pdf", b"\x00\x01binary" * 50, content_type="application/pdf")
    with pytest.raises(ValidationError, match="PDF, PNG or JPEG"):
        raise_enquiry(world, attachment=fake)


def test_a_partner_officer_raises_enquiries_only_about_services_their_council_takes(world):
    with pytest.raises(ValidationError) as error:
        raise_enquiry(world, service="council_tax")
    assert error.value.message_dict["service"] == ["Havering does not take Council Tax and Benefits."]
    with pytest.raises(PermissionDenied):
        services.enquiry_raise(
            user=world["users"]["officer.exchequer"],
            service=world["services"]["payroll"],
            subject="s",
            details="d",
        )


def test_a_reply_from_staff_is_emailed_to_the_raiser(world, mailoutbox, django_capture_on_commit_callbacks):
    enquiry = raise_enquiry(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.enquiry_reply(
            user=world["users"]["officer.exchequer"], enquiry=enquiry, body="Reissued today <b>by post</b>.", now=MONDAY
        )
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [world["users"]["officer.havering"].email]
    assert enquiry.reference in email.subject
    assert "Reissued today <b>by post</b>." in email.body  # plain text, as written


def test_the_raiser_is_emailed_on_resolution_once(world, mailoutbox, django_capture_on_commit_callbacks):
    enquiry = raise_enquiry(world)
    exchequer = world["users"]["officer.exchequer"]
    with django_capture_on_commit_callbacks(execute=True):
        services.enquiry_update(user=exchequer, enquiry=enquiry, status="resolved", now=at(2016, 11, 22, 10))
    with django_capture_on_commit_callbacks(execute=True):
        services.enquiry_update(user=exchequer, enquiry=enquiry, status="closed", now=at(2016, 11, 22, 11))
    assert [m.subject for m in mailoutbox] == [f"Your enquiry {enquiry.reference} is resolved: {enquiry.subject}"]


def test_only_staff_of_the_service_area_reply_assign_and_change_status(world):
    enquiry = raise_enquiry(world)
    with pytest.raises(PermissionDenied):
        services.enquiry_reply(user=world["users"]["director.ict"], enquiry=enquiry, body="Not mine.")
    with pytest.raises(PermissionDenied):
        services.enquiry_update(user=world["users"]["officer.havering"], enquiry=enquiry, status="closed")
    with pytest.raises(PermissionDenied):
        services.enquiry_reply(user=world["users"]["officer.newham"], enquiry=enquiry, body="Hello")
    with pytest.raises(ValidationError) as error:
        services.enquiry_update(
            user=world["users"]["officer.exchequer"], enquiry=enquiry, assignee=world["users"]["director.ict"]
        )
    assert "does not work in Exchequer and Transactional Services" in error.value.message_dict["assignee"][0]
    services.enquiry_update(
        user=world["users"]["officer.exchequer"], enquiry=enquiry, assignee=world["users"]["officer.exchequer"]
    )
    enquiry.refresh_from_db()
    assert enquiry.assignee == world["users"]["officer.exchequer"]
    assert EnquiryMessage.objects.count() == 1


def test_a_closed_enquiry_takes_no_more_messages_and_stays_closed(world):
    enquiry = raise_enquiry(world)
    exchequer = world["users"]["officer.exchequer"]
    services.enquiry_update(user=exchequer, enquiry=enquiry, status="closed")
    with pytest.raises(ValidationError, match="closed"):
        services.enquiry_reply(user=world["users"]["officer.havering"], enquiry=enquiry, body="One more thing")
    with pytest.raises(ValidationError, match="cannot be reopened"):
        services.enquiry_update(user=exchequer, enquiry=enquiry, status="open")


def test_a_resolved_enquiry_is_rated_once_by_its_council(world):
    enquiry = raise_enquiry(world)
    havering = world["users"]["officer.havering"]
    with pytest.raises(ValidationError, match="once it is resolved"):
        services.enquiry_rate(user=havering, enquiry=enquiry, score=5)
    services.enquiry_update(user=world["users"]["officer.exchequer"], enquiry=enquiry, status="resolved")
    with pytest.raises(ValidationError, match="from 1 to 5"):
        services.enquiry_rate(user=havering, enquiry=enquiry, score=6)
    with pytest.raises(PermissionDenied):
        services.enquiry_rate(user=world["users"]["officer.newham"], enquiry=enquiry, score=5)
    rating = services.enquiry_rate(user=havering, enquiry=enquiry, score=4, comment="Good")
    assert (rating.partner, rating.service, rating.source) == (world["havering"], enquiry.service, "enquiry")
    with pytest.raises(ValidationError, match="already been rated"):
        services.enquiry_rate(user=havering, enquiry=enquiry, score=1)


def test_a_customer_reply_reopens_a_resolved_enquiry(world):
    enquiry = raise_enquiry(world)
    services.enquiry_update(user=world["users"]["officer.exchequer"], enquiry=enquiry, status="resolved")
    services.enquiry_reply(user=world["users"]["officer.havering"], enquiry=enquiry, body="Still missing.")
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.resolved_at, enquiry.resolution_met) == ("in_progress", None, None)


def test_surveys_are_opened_by_admins_and_answered_once_while_open(world):
    import datetime as dt

    admin, havering = world["users"]["admin"], world["users"]["officer.havering"]
    with pytest.raises(PermissionDenied):
        services.survey_open(
            user=world["users"]["officer.exchequer"],
            service=world["services"]["payroll"],
            title="t",
            opens_on=dt.date(2016, 11, 1),
            closes_on=dt.date(2016, 11, 30),
        )
    with pytest.raises(ValidationError, match="cannot close before it opens"):
        services.survey_open(
            user=admin,
            service=world["services"]["payroll"],
            title="t",
            opens_on=dt.date(2016, 11, 30),
            closes_on=dt.date(2016, 11, 1),
        )
    survey = services.survey_open(
        user=admin,
        service=world["services"]["payroll"],
        title="Payroll satisfaction, autumn 2016",
        opens_on=dt.date(2016, 11, 1),
        closes_on=dt.date(2016, 11, 30),
    )
    with pytest.raises(ValidationError, match="open from 1 November 2016 to 30 November 2016"):
        services.survey_answer(user=havering, survey=survey, score=4, today=dt.date(2016, 12, 1))
    with pytest.raises(PermissionDenied):  # Newham does not take payroll
        services.survey_answer(
            user=world["users"]["officer.newham"], survey=survey, score=4, today=dt.date(2016, 11, 5)
        )
    answer = services.survey_answer(user=havering, survey=survey, score=4, today=dt.date(2016, 11, 5))
    assert (answer.partner, answer.source) == (world["havering"], "survey")
    with pytest.raises(ValidationError, match="already answered"):
        services.survey_answer(user=havering, survey=survey, score=2, today=dt.date(2016, 11, 6))


def test_staff_log_workshop_feedback_for_their_own_services(world):
    import datetime as dt

    data = {
        "partner": world["newham"],
        "service": world["services"]["council_tax"],
        "score": 3,
        "comment": "Reports come late",
        "received_on": dt.date(2016, 11, 3),
    }
    with pytest.raises(PermissionDenied):
        services.feedback_log(user=world["users"]["director.ict"], source="workshop", **data)
    with pytest.raises(ValidationError, match="workshop or informal"):
        services.feedback_log(user=world["users"]["officer.exchequer"], source="survey", **data)
    feedback = services.feedback_log(user=world["users"]["officer.exchequer"], source="workshop", **data)
    assert feedback.recorded_by == world["users"]["officer.exchequer"]
    assert Feedback.objects.count() == 1


def test_an_improvement_action_names_where_it_was_learnt(world):
    import datetime as dt

    exchequer = world["users"]["officer.exchequer"]
    enquiry = raise_enquiry(world)
    data = {
        "service": world["services"]["payroll"],
        "learnt": "Payslips are not checked before posting.",
        "action": "Add a check.",
        "owner": exchequer,
        "due_on": dt.date(2017, 1, 31),
    }
    with pytest.raises(ValidationError) as error:
        services.improvement_action_save(user=exchequer, origin="enquiry", **data)
    assert error.value.message_dict["enquiry"] == ["Choose the enquiry this was learnt from."]
    with pytest.raises(ValidationError) as error:
        services.improvement_action_save(user=exchequer, origin="review", **data)
    assert "review" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.improvement_action_save(user=world["users"]["director.ict"], origin="enquiry", enquiry=enquiry, **data)
    item = services.improvement_action_save(
        user=exchequer, origin="enquiry", enquiry=enquiry, partner=world["havering"], **data
    )
    services.improvement_action_save(user=exchequer, improvement_action=item, status="done")
    item.refresh_from_db()
    assert item.status == "done" and item.completed_on is not None
    assert ImprovementAction.objects.count() == 1


def test_plain_text_attachment_is_accepted_and_binary_is_not(world):
    enquiry = raise_enquiry(world, attachment=SimpleUploadedFile("notes.txt", "Payroll numbers: 1, 2 – 3".encode()))
    assert enquiry.messages.get().attachment.name.endswith(".txt")
    with pytest.raises(ValidationError):
        services.enquiry_reply(
            user=world["users"]["officer.havering"],
            enquiry=enquiry,
            body="zip",
            attachment=SimpleUploadedFile("a.zip", b"PK\x03\x04" + bytes(range(256))),
        )
    assert EnquiryMessage.objects.count() == 1
