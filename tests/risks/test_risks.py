import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.rag import Rag
from apps.risks import services
from apps.risks.models import MitigatingAction, Risk, RiskAssessment, RiskReminder
from apps.risks.scoring import BANDS, SCALE, band_q, score, score_rag

from .factories import make_risk
from .routes import _risks

# Scores and bands --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "colour"), [(1, Rag.GREEN), (4, Rag.GREEN), (5, Rag.AMBER), (12, Rag.AMBER), (15, Rag.RED), (25, Rag.RED)]
)
def test_a_score_takes_the_colour_of_its_band(value, colour):
    assert score_rag(value) == colour


def test_every_likelihood_and_impact_lands_in_exactly_one_band():
    for likelihood in SCALE:
        for impact in SCALE:
            value = score(likelihood, impact)
            assert sum(1 for low, high, _, _ in BANDS if low <= value <= high) == 1, value


def test_no_score_is_grey():
    assert score_rag(None) == Rag.GREY


def test_the_band_filter_finds_the_risks_the_band_colours(world):
    scores = {"low": (2, 2, 2, 2, 1, 1), "medium": (4, 3, 3, 4, 2, 2), "high": (5, 5, 4, 4, 3, 3)}
    made = {name: make_risk(world, title=name, scores=s) for name, s in scores.items()}
    for *_, rag, _ in BANDS:
        found = set(Risk.objects.filter(band_q(rag)).values_list("title", flat=True))
        assert found == {name for name, risk in made.items() if score_rag(risk.residual_score) == rag}
    assert made["medium"].residual_score == 12 and made["high"].residual_rag == Rag.RED


# Database constraints ---------------------------------------------------------------------------------------


def _raw(world, **overrides):
    values = {
        "title": "Raw",
        "cause": "c",
        "event": "e",
        "effect": "f",
        "category": "people",
        "owner": world["users"]["admin"],
        "review_on": dt.date(2016, 6, 1),
        "inherent_likelihood": 3,
        "inherent_impact": 3,
        "inherent_score": 9,
        "residual_likelihood": 2,
        "residual_impact": 2,
        "residual_score": 4,
        "target_likelihood": 1,
        "target_impact": 1,
        "target_score": 1,
        **overrides,
    }
    return Risk.objects.create(**values)


@pytest.mark.parametrize(
    "overrides",
    [
        {"inherent_likelihood": 6, "inherent_score": 18},
        {"residual_impact": 0, "residual_score": 0},
        {"inherent_score": 10},
        {"residual_likelihood": 4, "residual_impact": 3, "residual_score": 12},
    ],
    ids=["likelihood above 5", "impact below 1", "score not the product", "residual above inherent"],
)
def test_the_database_refuses_a_score_that_breaks_the_rules(world, overrides):
    _raw(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw(world, **overrides)


def test_a_reminder_is_recorded_once_per_date(world):
    risk = make_risk(world, title="Once")
    RiskReminder.objects.create(kind="review_due", risk=risk, due_on=risk.review_on, recipients="a@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskReminder.objects.create(kind="review_due", risk=risk, due_on=risk.review_on, recipients="a@example.org")


# Services --------------------------------------------------------------------------------------------------


def test_recording_a_risk_keeps_its_first_assessment(world):
    risk = make_risk(world, title="Restructure consultation delayed", scores=(4, 5, 3, 4, 2, 2))
    assert (risk.inherent_score, risk.residual_score, risk.target_score) == (20, 12, 4)
    [first] = risk.assessments.all()
    assert (first.inherent_score, first.residual_score) == (20, 12)


def test_an_assessment_changes_the_scores_and_keeps_the_old_ones(world):
    risk = make_risk(world, title="Trend", scores=(4, 5, 3, 4, 2, 2))
    services.risk_assess(
        user=world["users"]["director.exchequer"],
        risk=risk,
        inherent_likelihood=4,
        inherent_impact=5,
        residual_likelihood=2,
        residual_impact=4,
        note="Consultation started.",
    )
    risk.refresh_from_db()
    assert risk.residual_score == 8
    assert [a.residual_score for a in RiskAssessment.objects.filter(risk=risk).order_by("created_at")] == [12, 8]


def test_a_target_above_the_residual_score_is_refused_with_nothing_written(world):
    with pytest.raises(ValidationError) as error:
        make_risk(world, title="Upside down", scores=(3, 3, 2, 2, 4, 4))
    assert "target_impact" in error.value.message_dict
    assert not Risk.objects.exists() and not RiskAssessment.objects.exists()


def test_a_director_records_risks_only_in_their_own_areas(world):
    with pytest.raises(PermissionDenied):
        make_risk(world, title="Not mine", user="director.ict", area=world["areas"]["EXT"])
    risk = make_risk(world, title="Mine", user="director.ict", area=world["areas"]["ICT"])
    assert risk.owner == world["users"]["director.exchequer"]


def test_only_the_owner_the_areas_director_or_an_admin_may_assess(world):
    risk = make_risk(world, title="EXT risk")
    with pytest.raises(PermissionDenied):
        services.risk_assess(
            user=world["users"]["director.ict"],
            risk=risk,
            inherent_likelihood=3,
            inherent_impact=3,
            residual_likelihood=2,
            residual_impact=2,
        )


# Access ------------------------------------------------------------------------------------------------------


def test_a_havering_officer_never_sees_a_newham_only_risk(world, client_for, api_for):
    risks = _risks(world)
    newham = risks["other"]
    havering_page = client_for("officer.havering")
    assert havering_page.get(newham.get_absolute_url()).status_code == 404
    assert "Newham only saving risk" not in havering_page.get("/risks/").content.decode()
    assert "Newham only saving risk" not in havering_page.get("/risks/?q=Newham").content.decode()
    assert "Newham only saving risk" not in havering_page.get("/").content.decode()
    heat = havering_page.get("/risks/heat-map/").content.decode()
    assert "1 risk by residual" in heat
    havering_api = api_for("officer.havering")
    assert havering_api.get(f"/api/v1/risks/{newham.pk}/").status_code == 404
    assert [r["title"] for r in havering_api.get("/api/v1/risks/").json()["results"]] == ["Havering payroll risk"]
    # Newham's own officer does see it, on both.
    assert client_for("officer.newham").get(newham.get_absolute_url()).status_code == 200
    assert api_for("officer.newham").get(f"/api/v1/risks/{newham.pk}/").status_code == 200


def test_the_committee_reads_principal_risks_only(world, client_for):
    risks = _risks(world)
    committee = client_for("committee")
    listing = committee.get("/risks/").content.decode()
    assert "Newham only saving risk" in listing and "Havering payroll risk" not in listing
    assert committee.get(risks["own"].get_absolute_url()).status_code == 404
    assert committee.get(f"/risks/{risks['other'].pk}/assess/").status_code == 403


def test_a_director_changes_risks_of_their_area_and_not_others(world, client_for):
    risks = _risks(world)
    ict = client_for("director.ict")
    assert ict.get(f"/risks/{risks['own'].pk}/assess/").status_code == 403
    assert ict.get(f"/risks/{risks['internal'].pk}/assess/").status_code == 200


# Pages -------------------------------------------------------------------------------------------------------


def test_the_register_filters_by_overdue_review(world, client_for):
    make_risk(world, title="Review long overdue", review_in_days=-3)
    make_risk(world, title="Reviewed lately", review_in_days=20)
    page = client_for("admin").get("/risks/?review_overdue=true").content.decode()
    assert "Review long overdue" in page and "Reviewed lately" not in page
    api = client_for("admin").get("/api/v1/risks/?review_overdue=false").json()
    assert [r["title"] for r in api["results"]] == ["Reviewed lately"]


def test_the_heat_map_counts_risks_in_their_cells(world, client_for):
    make_risk(world, title="A", scores=(5, 5, 4, 4, 2, 2))
    make_risk(world, title="B", scores=(5, 5, 4, 4, 1, 1))
    make_risk(world, title="C", scores=(3, 3, 1, 2, 1, 1))
    response = client_for("admin").get("/risks/heat-map/")
    grid = {(c["likelihood"], c["impact"]): c["count"] for row in response.context["map"]["rows"] for c in row["cells"]}
    assert grid[(4, 4)] == 2 and grid[(1, 2)] == 1 and sum(grid.values()) == 3
    inherent = client_for("admin").get("/risks/heat-map/?basis=inherent").context["map"]["rows"]
    assert {(c["likelihood"], c["impact"]): c["count"] for row in inherent for c in row["cells"]}[(5, 5)] == 2


def test_a_director_records_a_risk_from_a_saving_line_at_risk(world, client_for):
    from tests.savings.routes import _lines

    line = _lines(world)["other"]
    director = client_for("director.exchequer")
    form = director.get(f"/risks/new/?saving_line={line.reference}")
    assert form.status_code == 200 and line.title in form.content.decode()
    response = director.post(
        "/risks/new/",
        {
            "title": "Restructure consultation delayed",
            "cause": "Trade union consultation has been extended",
            "event": "the restructure starts late",
            "effect": "the saving is not achieved this year",
            "category": "savings_and_finance",
            "area": world["areas"]["EXT"].pk,
            "owner": world["users"]["director.exchequer"].pk,
            "inherent_likelihood": 4,
            "inherent_impact": 4,
            "residual_likelihood": 4,
            "residual_impact": 3,
            "target_likelihood": 2,
            "target_impact": 3,
            "review_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            "is_principal": "on",
            "saving_lines": [line.pk],
        },
    )
    risk = Risk.objects.get(title="Restructure consultation delayed")
    assert response.status_code == 302 and response.url == risk.get_absolute_url()
    assert list(risk.saving_lines.all()) == [line] and risk.is_principal
    assert "Restructure consultation delayed" in client_for("committee").get("/").content.decode()


def test_pages_and_api_run_a_fixed_number_of_queries(world, client_for, api_for, django_assert_max_num_queries):
    _risks(world)
    for n in range(8):
        make_risk(world, title=f"Extra {n}", links={"partners": [world["havering"]]})
    for user in ("admin", "officer.havering"):
        client = client_for(user)
        for path in ("/risks/", "/risks/heat-map/", f"/risks/{_risks(world)['own'].pk}/", "/"):
            with django_assert_max_num_queries(25):
                assert client.get(path).status_code == 200
        with django_assert_max_num_queries(12):
            assert api_for(user).get("/api/v1/risks/").status_code == 200


# Reminders ---------------------------------------------------------------------------------------------------


def test_reminders_go_once_each(world, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    due = make_risk(world, title="Review next week", review_in_days=5)
    make_risk(world, title="Review next quarter", review_in_days=90)
    late = MitigatingAction.objects.create(
        risk=due,
        description="Brief the unions",
        owner=world["users"]["officer.exchequer"],
        due_on=today - dt.timedelta(days=1),
    )
    MitigatingAction.objects.create(
        risk=due,
        description="Done already",
        owner=world["users"]["officer.exchequer"],
        due_on=today - dt.timedelta(days=9),
        status="done",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.risk_reminders_send(today=today) == {"reviews": 1, "actions": 1}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.risk_reminders_send(today=today + dt.timedelta(days=1)) == {"reviews": 0, "actions": 0}
    assert len(mail.outbox) == 2
    assert {m.subject for m in mail.outbox} == {
        "Risk review is due: Review next week",
        "Risk action overdue: Review next week",
    }
    assert set(mail.outbox[1].to) | set(mail.outbox[0].to) >= {late.owner.email, due.owner.email}
    # A new due date is a new reminder.
    late.due_on = today - dt.timedelta(days=0) - dt.timedelta(days=2)
    late.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.risk_reminders_send(today=today)["actions"] == 1


# Where risks show elsewhere ----------------------------------------------------------------------------------


def test_a_saving_line_at_risk_asks_for_a_risk_until_one_is_linked(world, client_for):
    from apps.savings.models import SavingsUpdate
    from tests.savings.routes import _lines

    line = _lines(world)["other"]
    director = client_for("director.exchequer")
    assert "Record the risk" not in director.get(line.get_absolute_url()).content.decode()
    SavingsUpdate.objects.create(
        line=line,
        financial_year=2016,
        period=dt.date(2016, 10, 1),
        forecast="300.00",
        achieved="100.00",
        status="at_risk",
        commentary="Consultation delayed.",
        line_version=2,
        recorded_by=world["users"]["director.exchequer"],
    )
    page = director.get(line.get_absolute_url()).content.decode()
    assert "This saving is marked at risk" in page
    assert f"/risks/new/?saving_line={line.reference}" in page
    risk = make_risk(world, title="Consultation delayed", links={"saving_lines": [line]})
    page = director.get(line.get_absolute_url()).content.decode()
    assert "This saving is marked at risk" not in page
    assert "Risks to this saving" in page and risk.get_absolute_url() in page


def test_an_overdue_activity_shows_its_risk(world, client_for):
    from tests.delivery.factories import ActivityFactory

    activity = ActivityFactory(title="Embed 1Oracle", due_on=timezone.localdate() - dt.timedelta(days=3))
    make_risk(world, title="1Oracle does not bed in", category="ict_and_information", links={"activities": [activity]})
    page = client_for("director.ict").get(activity.get_absolute_url()).content.decode()
    assert "This activity is overdue; 1 open risk to it is recorded below." in page
    assert "1Oracle does not bed in" in page


def test_the_daily_reminder_is_registered_with_beat(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="risks.send_risk_reminders")
    assert task.enabled and task.crontab.hour == "7" and str(task.crontab.timezone) == "Europe/London"
