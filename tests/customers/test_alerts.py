"""The scheduled check: the assignee is warned at 75% of a target, the director told of a breach, once each."""

from apps.customers import services, tasks

from .factories import at, raise_enquiry


def _subjects(mailoutbox):
    return [(m.to[0].split("@")[0], m.subject) for m in mailoutbox]


def test_warning_to_the_assignee_then_breach_to_the_director_once_each(world, mailoutbox):
    exchequer = world["users"]["officer.exchequer"]
    enquiry = raise_enquiry(world)  # Monday 09:00; first response due Tuesday 17:00, warning from 13:00
    services.enquiry_update(user=exchequer, enquiry=enquiry, assignee=exchequer, now=at(2016, 11, 21, 9, 5))

    assert services.enquiry_clock_alerts_send(now=at(2016, 11, 22, 12)) == {"warning": 0, "breach": 0}
    assert services.enquiry_clock_alerts_send(now=at(2016, 11, 22, 13, 30)) == {"warning": 1, "breach": 0}
    assert services.enquiry_clock_alerts_send(now=at(2016, 11, 22, 14)) == {"warning": 0, "breach": 0}
    assert services.enquiry_clock_alerts_send(now=at(2016, 11, 22, 17, 30)) == {"warning": 0, "breach": 1}
    assert services.enquiry_clock_alerts_send(now=at(2016, 11, 23, 10)) == {"warning": 0, "breach": 0}
    assert _subjects(mailoutbox) == [
        ("officer.exchequer", f"Warning: {enquiry.reference} has used 75% of its first response target"),
        ("director.exchequer", f"Target missed: {enquiry.reference} first response"),
    ]


def test_an_unassigned_enquiry_warns_the_service_lead_officer(world, mailoutbox):
    payroll = world["services"]["payroll"]
    payroll.lead_officer = world["users"]["officer.exchequer"]
    payroll.save()
    raise_enquiry(world)
    services.enquiry_clock_alerts_send(now=at(2016, 11, 22, 13, 30))
    assert [m.to for m in mailoutbox] == [[world["users"]["officer.exchequer"].email]]


def test_no_alert_while_the_clock_is_stopped_or_after_an_answer(world, mailoutbox):
    exchequer = world["users"]["officer.exchequer"]
    waiting = raise_enquiry(world)
    services.enquiry_update(user=exchequer, enquiry=waiting, status="awaiting_customer", now=at(2016, 11, 21, 10))
    answered = raise_enquiry(world, subject="Answered")
    services.enquiry_reply(user=exchequer, enquiry=answered, body="Done", now=at(2016, 11, 21, 10))
    mailoutbox.clear()
    assert services.enquiry_clock_alerts_send(now=at(2016, 11, 23, 10)) == {"warning": 0, "breach": 0}
    assert mailoutbox == []


def test_the_scheduled_task_runs_the_check(world, mailoutbox):
    raise_enquiry(world, now=at(2016, 1, 4, 9))  # long past both targets
    assert tasks.enquiry_clock_alerts.delay().get() == {"warning": 2, "breach": 2}
    assert tasks.enquiry_clock_alerts.delay().get() == {"warning": 0, "breach": 0}
