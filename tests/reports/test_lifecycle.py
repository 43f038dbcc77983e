"""Generate, publish, revise: one report per month and scope, frozen once published, versions kept."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction

from apps.kpis.models import Measurement
from apps.reports import compute, services, tasks
from apps.reports.models import MonthlyReport, PublishedReport
from tests.factories import ContactFactory

from .fixtures import OCTOBER
from .helpers import generate, publish_all

pytestmark = pytest.mark.django_db


def test_a_month_has_one_report_for_onesource_and_one_per_partner_and_running_again_changes_nothing(world, month):
    first = generate(OCTOBER)
    assert set(first) == {"onesource", "havering", "newham"}
    assert all(r.status == MonthlyReport.Status.READY for r in first.values())
    figures = {scope: r.snapshot for scope, r in first.items()}
    again = generate(OCTOBER)
    assert MonthlyReport.objects.count() == 3
    assert {scope: r.snapshot for scope, r in again.items()} == figures


def test_the_database_refuses_a_second_report_for_the_same_month_and_scope(world, month):
    generate(OCTOBER)
    for partner in (None, world["havering"]):
        with pytest.raises(IntegrityError), transaction.atomic():
            MonthlyReport.objects.create(period=OCTOBER, partner=partner)


def test_a_month_not_yet_over_cannot_be_reported(world):
    with pytest.raises(ValidationError) as error:
        services.reports_request(period=dt.date.today().replace(day=1))
    assert "period" in error.value.message_dict


def test_a_failed_scope_is_marked_failed_with_its_error_and_the_others_complete(world, month):
    real = compute.compute

    def broken_for_newham(period, partner, on_section=None, scorecards=None):
        if partner is not None and partner.slug == "newham":
            raise ZeroDivisionError("division by zero in Newham's figures")
        return real(period, partner, on_section, scorecards)

    with mock.patch.object(compute, "compute", broken_for_newham):
        reports = generate(OCTOBER)
    assert reports["newham"].status == MonthlyReport.Status.FAILED
    assert "ZeroDivisionError: division by zero in Newham's figures" in reports["newham"].error
    assert reports["havering"].status == reports["onesource"].status == MonthlyReport.Status.READY


def test_a_database_error_is_raised_for_a_retry_until_the_last_attempt_marks_the_report_failed(world, month):
    [report_id, *_] = services.reports_request(period=OCTOBER)
    with mock.patch.object(compute, "compute", side_effect=OperationalError("server closed the connection")):
        with pytest.raises(OperationalError):
            services.report_generate(report_id=report_id, final_attempt=False)
        assert services.report_generate(report_id=report_id, final_attempt=True) == "failed"
    report = MonthlyReport.objects.get(pk=report_id)
    assert "server closed the connection" in report.error


def test_the_report_task_retries_on_database_errors_with_back_off_and_acks_late():
    task = tasks.generate_report
    assert task.acks_late and task.reject_on_worker_lost
    assert OperationalError in task.autoretry_for and task.retry_backoff and task.max_retries == tasks.MAX_RETRIES
    assert task.soft_time_limit < task.time_limit


def test_publishing_freezes_a_version_and_emails_partner_contacts_a_link_without_figures(
    world, month, settings, django_capture_on_commit_callbacks
):
    ContactFactory(partner=world["havering"], name="Ann Client", email="ann@havering.gov.uk")
    ContactFactory(partner=world["newham"], name="Bo Client", email="bo@newham.gov.uk")
    reports = generate(OCTOBER)
    with django_capture_on_commit_callbacks(execute=True):
        published = services.report_publish(user=world["users"]["admin"], report=reports["havering"])
    assert (published.version, published.is_latest, published.reason) == (1, True, "")
    [email] = mail.outbox
    assert email.to == ["ann@havering.gov.uk"]
    assert f"{settings.PORTAL_URL}/reports/2016-10/havering/" in email.body
    assert "90.0%" not in email.body and "ICT-01" not in email.body
    # Frozen: computing again leaves the published report alone.
    Measurement.objects.filter(partner=world["havering"], period=OCTOBER).update(numerator=10)
    assert services.report_generate(report_id=reports["havering"].pk) == "published"
    with pytest.raises(ValidationError):
        services.report_regenerate(user=world["users"]["admin"], report=reports["havering"])


def test_only_an_administrator_publishes_and_revising_needs_a_reason(world, month):
    reports = generate(OCTOBER)
    with pytest.raises(PermissionDenied):
        services.report_publish(user=world["users"]["director.ict"], report=reports["havering"])
    services.report_publish(user=world["users"]["admin"], report=reports["havering"])
    with pytest.raises(ValidationError) as error:
        services.report_revise(user=world["users"]["admin"], report=reports["havering"], reason="  ")
    assert "reason" in error.value.message_dict
    assert MonthlyReport.objects.get(pk=reports["havering"].pk).version == 1


def test_republishing_makes_a_new_version_with_its_reason_and_the_page_shows_what_changed(world, month, client_for):
    admin = world["users"]["admin"]
    publish_all(dt.date(2016, 9, 1), admin)
    publish_all(OCTOBER, admin)
    report = MonthlyReport.objects.get(period=OCTOBER, partner=world["havering"])
    Measurement.objects.filter(partner=world["havering"], period=OCTOBER, kpi__code="ICT-01").update(numerator=70)
    services.report_revise(user=admin, report=report, reason="Havering's October call figures corrected.")
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    services.report_publish(user=admin, report=report)
    versions = PublishedReport.objects.filter(report=report).order_by("version")
    assert [(v.version, v.is_latest) for v in versions] == [(1, False), (2, True)]
    assert versions[1].reason == "Havering's October call figures corrected."

    page = client_for("officer.havering").get("/reports/2016-10/havering/").content.decode()
    assert "Revised: Havering&#x27;s October call figures corrected." in page
    assert "What changed from version 1" in page
    assert "90.0% (Green)" in page and "70.0% (Red)" in page  # from version 1, and now
    assert "85.0% (Green)" in page  # September, in "what changed from last month"
    first = client_for("officer.havering").get("/reports/2016-10/havering/?version=1").content.decode()
    assert "an earlier version" in first


def test_beat_generates_last_months_reports_on_the_sixth_working_day_only(world, month):
    from django_celery_beat.models import PeriodicTask

    from apps.reports import seed

    seed.load()
    assert PeriodicTask.objects.get(task="apps.reports.tasks.monthly_reports_if_due").enabled
    # November 2016: Tuesday 1st to Tuesday 8th is six working days.
    assert [services.reports_due_on(dt.date(2016, 11, day)) for day in (7, 8, 9)] == [False, True, False]
    assert tasks.monthly_reports_if_due("2016-11-07") == 0
    assert not MonthlyReport.objects.exists()
    assert tasks.monthly_reports_if_due("2016-11-08") == 3  # oneSource, Havering and Newham for October
    assert set(MonthlyReport.objects.values_list("period", flat=True)) == {OCTOBER}
    # January 2017: the bank holiday on Monday 2nd is not a working day, so the 6th is Tuesday 10th.
    assert services.reports_due_on(dt.date(2017, 1, 10)) and not services.reports_due_on(dt.date(2017, 1, 9))
