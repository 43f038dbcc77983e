"""Illustrative risks for the demo users (DEBUG only): scored, controlled and assessed over the last
three months, relative to today. Every score is illustrative."""

import datetime as dt

from django.utils import timezone

from apps.accounts.models import User
from apps.catalogue.models import ServiceArea
from apps.delivery.models import Activity
from apps.partners.models import Partner
from apps.savings.models import SavingLine, SavingsUpdate, Status

from . import services
from .models import MitigatingAction, Risk, RiskAssessment

NOTE = "Illustrative demo assessment."

# title, category, area, owner, (cause, event, effect), scores over three assessments (il, ii, rl, ri),
# target (tl, ti), principal, links (saving line at risk / activity title containing / partner slugs)
RISKS = [
    (
        "Restructure consultation delayed",
        "savings_and_finance",
        "EXT",
        "director.exchequer",
        (
            "Because trade union consultation on the transactional restructure has been extended,",
            "there is a risk that the new structure starts later than planned,",
            "which would leave part of this year's saving unachieved in target time.",
        ),
        [(4, 5, 3, 4), (4, 5, 4, 4), (4, 5, 4, 4)],
        (2, 3),
        True,
        {"saving_line": True, "partners": ["havering", "newham"]},
    ),
    (
        "1Oracle does not bed in at Newham",
        "ict_and_information",
        "ICT",
        "director.ict",
        (
            "Because 1Oracle replaces several of Newham's systems at once,",
            "there is a risk that the single operation is not stable by year end,",
            "which would delay the shared service's savings and its management information.",
        ),
        [(4, 4, 3, 4), (4, 4, 3, 3), (4, 4, 2, 3)],
        (2, 2),
        True,
        {"activity": "1Oracle", "partners": ["newham"]},
    ),
    (
        "Further Bexley services on-boarding slips",
        "partnership_and_onboarding",
        "BS",
        "admin",
        (
            "Because Bexley's decision on further services follows its medium-term financial strategy,",
            "there is a risk that on-boarding moves to next year,",
            "which would defer the savings the three councils expect from sharing.",
        ),
        [(3, 4, 3, 3), (3, 4, 3, 3), (3, 4, 2, 3)],
        (2, 2),
        False,
        {"partners": ["bexley"]},
    ),
    (
        "Loss of key staff during restructures",
        "people",
        None,
        "admin",
        (
            "Because several services restructure in the same year,",
            "there is a risk that experienced staff leave,",
            "which would weaken service delivery and knowledge of the councils.",
        ),
        [(3, 4, 3, 3), (3, 4, 3, 3), (3, 4, 3, 3)],
        (2, 3),
        False,
        {},
    ),
]


def load(*, password) -> str:
    today = timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "director.exchequer", "director.ict"])}
    if "admin" not in users:
        return "no risks (demo users missing)"
    admin = users["admin"]
    areas = {a.code: a for a in ServiceArea.objects.all()}
    at_risk = (
        SavingsUpdate.objects.filter(status__in=(Status.AT_RISK, Status.NOT_ACHIEVABLE), line__area__code="EXT")
        .order_by("-recorded_at")
        .values_list("line", flat=True)
        .first()
    )
    made = 0
    for title, category, area, owner, (cause, event, effect), history, target, principal, links in RISKS:
        if Risk.objects.filter(title=title).exists():
            continue
        il, ii, rl, ri = history[0]
        risk = services.risk_save(
            user=admin,
            title=title,
            category=category,
            area=areas.get(area),
            owner=users.get(owner, admin),
            cause=cause,
            event=event,
            effect=effect,
            inherent_likelihood=il,
            inherent_impact=ii,
            residual_likelihood=rl,
            residual_impact=ri,
            target_likelihood=target[0],
            target_impact=target[1],
            review_on=today + dt.timedelta(days=45),
            is_principal=principal,
            note=NOTE,
            partners=list(Partner.objects.filter(slug__in=links.get("partners", []))),
            saving_lines=list(SavingLine.objects.filter(pk=at_risk)) if links.get("saving_line") else [],
            activities=list(Activity.objects.filter(title__icontains=links["activity"])[:2])
            if links.get("activity")
            else [],
        )
        RiskAssessment.objects.filter(risk=risk).update(assessed_on=today - dt.timedelta(days=90))
        for months_ago, (il, ii, rl, ri) in zip((2, 1), history[1:], strict=True):
            services.risk_assess(
                user=admin,
                risk=risk,
                inherent_likelihood=il,
                inherent_impact=ii,
                residual_likelihood=rl,
                residual_impact=ri,
                assessed_on=today - dt.timedelta(days=30 * months_ago),
                note=NOTE,
            )
        services.control_add(user=admin, risk=risk, description="Monthly review at the directors' meeting.")
        services.action_save(
            user=admin,
            risk=risk,
            description="Agree a recovery plan with the service and report it to the directors.",
            owner=risk.owner,
            due_on=today + dt.timedelta(days=21 if made % 2 else -7),
            status=MitigatingAction.Status.IN_PROGRESS,
        )
        made += 1
    # One review has fallen due, so the reminder and the register's filter have something to show.
    Risk.objects.filter(title="Loss of key staff during restructures").update(review_on=today - dt.timedelta(days=3))
    return f"{made} illustrative risks"
