"""Surveys, staff-logged feedback and improvement actions through their pages; the seed and demo."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.customers import demo, seed, services
from apps.customers.models import Enquiry, Feedback, ImprovementAction, SatisfactionSurvey


def test_an_admin_opens_a_survey_and_a_partner_officer_answers_it(world, client_for):
    today = timezone.localdate()
    admin = client_for("admin")
    response = admin.post(
        "/enquiries/surveys/new/",
        {
            "service": world["services"]["payroll"].pk,
            "title": "Payroll satisfaction",
            "question": "How satisfied are you with payroll?",
            "opens_on": today.isoformat(),
            "closes_on": (today + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    survey = SatisfactionSurvey.objects.get()
    havering = client_for("officer.havering")
    assert "How satisfied are you with payroll?" in havering.get(survey.get_absolute_url()).content.decode()
    assert havering.post(survey.get_absolute_url(), {"score": "4", "comment": "Fine"}).status_code == 302
    answer = Feedback.objects.get()
    assert (answer.partner, answer.source, answer.score) == (world["havering"], "survey", 4)
    body = havering.get("/enquiries/surveys/").content.decode()
    assert "Answered" in body
    # Newham does not take payroll: the survey is not theirs to see.
    assert client_for("officer.newham").get(survey.get_absolute_url()).status_code == 404
    assert client_for("officer.exchequer").get("/enquiries/surveys/new/").status_code == 404


def test_staff_log_feedback_on_the_page_and_bad_input_is_shown(world, client_for):
    client = client_for("officer.exchequer")
    data = {
        "partner": world["newham"].pk,
        "service": world["services"]["council_tax"].pk,
        "source": "workshop",
        "score": "2",
        "comment": "Too slow",
        "received_on": "2016-11-10",
    }
    response = client.post("/enquiries/feedback/new/", {**data, "score": ""})
    assert response.status_code == 200 and "error" in response.content.decode().lower()
    assert not Feedback.objects.exists()
    assert client.post("/enquiries/feedback/new/", data).status_code == 302
    assert Feedback.objects.get().recorded_by == world["users"]["officer.exchequer"]
    assert client_for("officer.havering").get("/enquiries/feedback/new/").status_code == 404


def test_staff_raise_and_complete_an_improvement_action_from_an_enquiry(world, client_for):
    enquiry = services.enquiry_raise(
        user=world["users"]["officer.havering"],
        service=world["services"]["payroll"],
        subject="Late payslips",
        details="Again",
    )
    client = client_for("officer.exchequer")
    form = client.get(f"/enquiries/actions/new/?enquiry={enquiry.pk}").content.decode()
    assert f'value="{enquiry.pk}" selected' in form
    data = {
        "service": world["services"]["payroll"].pk,
        "origin": "enquiry",
        "enquiry": enquiry.pk,
        "learnt": "Payslips are posted second class.",
        "action": "Post payslips first class.",
        "owner": world["users"]["officer.exchequer"].pk,
        "due_on": "2017-01-31",
        "status": "open",
    }
    assert client.post("/enquiries/actions/new/", data).status_code == 302
    item = ImprovementAction.objects.get()
    response = client.post(item.get_absolute_url(), {**data, "status": "done", "completed_on": "2017-01-20"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.completed_on) == ("done", dt.date(2017, 1, 20))
    assert "Post payslips first class." not in client.get("/enquiries/actions/").content.decode()
    assert "Post payslips first class." in client.get("/enquiries/actions/?status=done").content.decode()
    assert client_for("director.ict").get(item.get_absolute_url()).status_code == 404


def test_the_seed_schedules_the_clock_check_and_the_monthly_figures_once(db):
    seed.load()
    seed.load()
    task = PeriodicTask.objects.get(task="apps.customers.tasks.enquiry_clock_alerts")
    assert (task.interval.every, task.interval.period, task.enabled) == (15, "minutes", True)
    monthly = PeriodicTask.objects.get(task="apps.customers.tasks.contact_figures_monthly")
    assert (monthly.crontab.day_of_month, monthly.crontab.hour, monthly.enabled) == ("1", "6", True)


def test_the_demo_loads_once_through_the_services(db):
    from apps.accounts import demo as accounts_demo
    from apps.catalogue import demo as catalogue_demo

    call_command("load_seed", verbosity=0)
    for module in (accounts_demo, catalogue_demo, demo):
        module.load(password="onesource-demo")
    raised = Enquiry.objects.count()
    # Two years of enquiries from each council, the latest still being worked on, many rated.
    assert set(Enquiry.objects.values_list("partner__slug", flat=True)) == {"havering", "newham", "bexley"}
    assert raised > 150 and Enquiry.objects.filter(resolved_at__isnull=True).exists()
    assert Feedback.objects.filter(source="enquiry").count() > 50
    assert demo.load(password="x") == "enquiries already present"
    assert Enquiry.objects.count() == raised


def test_the_survey_list_runs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    for n in range(12):
        services.survey_open(
            user=world["users"]["admin"],
            service=world["services"]["payroll"],
            title=f"Survey {n}",
            opens_on=dt.date(2016, 11, 1),
            closes_on=dt.date(2016, 11, 30),
        )
    client = client_for("officer.havering")
    with django_assert_max_num_queries(5):
        body = client.get("/enquiries/surveys/").content.decode()
    assert body.count("Survey ") >= 12


def test_feedback_and_action_pages_run_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    for n in range(30):
        services.feedback_log(
            user=world["users"]["admin"],
            partner=world["havering"],
            service=world["services"]["payroll"],
            source="informal",
            score=n % 5 + 1,
            comment=f"Comment {n}",
            received_on=dt.date(2016, 11, 1),
        )
        services.improvement_action_save(
            user=world["users"]["admin"],
            service=world["services"]["payroll"],
            origin="review",
            review="R",
            learnt="L",
            action=f"Action {n}",
            owner=world["users"]["officer.exchequer"],
            due_on=dt.date(2017, 1, 1),
        )
    client = client_for("officer.havering")
    with django_assert_max_num_queries(10):
        assert client.get("/enquiries/feedback/").content.decode().count("Comment ") == 25
    with django_assert_max_num_queries(6):
        assert client.get("/enquiries/actions/").content.decode().count("Action ") == 30
