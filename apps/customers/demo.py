"""Illustrative enquiries and feedback over the last two years, for the demo users (DEBUG only).

Each council's officer raises a few enquiries a week about the services their council takes; most
are answered and resolved within their targets, some late, some wait on the customer, and the most
recent are still open, a few close to their deadline. Resolved enquiries are often rated, and staff
log workshop and informal feedback every month. Deterministic: a seeded random generator.
"""

import datetime as dt
import random

from django.apps import apps
from django.utils import timezone

from apps.catalogue.models import Subscription
from apps.core.periods import add_months, is_working_day, month_start

from . import services
from .models import Enquiry, Feedback, ImprovementAction

WEEKS = 104  # two years
OPEN_DAYS = 14  # enquiries raised in the last fortnight are still being worked on
OFFICERS = {"havering": "officer.havering", "newham": "officer.newham", "bexley": "officer.bexley"}
# Staff who answer, by service area; the performance team answers for the others.
STAFF = {"EXT": "officer.exchequer", "ICT": "director.ict"}
SUBJECTS = {
    "EXT": [
        ("Duplicate direct debit taken", "Two residents report their direct debit was collected twice."),
        ("Year-end reconciliation timetable", "Please confirm the dates for the year-end reconciliation."),
        ("Backlog of change of circumstances", "Our contact centre reports residents waiting for changes."),
        ("Business rates relief query", "A retailer asks why its small business relief was removed."),
        ("Enforcement agent complaint", "A resident complains about an enforcement agent's visit."),
    ],
    "ICT": [
        ("Laptop refresh for the finance team", "Twelve laptops are due for replacement this quarter."),
        ("Email delays in the morning", "Staff report emails arriving up to an hour late."),
        ("New starter accounts not ready", "Accounts for three starters were not ready on their first day."),
    ],
    "FIN": [
        ("Budget monitoring deadline", "Budget holders ask for two more days for the monthly forecast."),
        ("Journal posted to the wrong cost centre", "A journal of £12,400 went to the wrong cost centre."),
        ("Capital programme reprofiling", "Please reprofile the schools expansion budget."),
    ],
    "HR": [
        ("Payroll correction for overtime", "Overtime for October was not paid to four staff."),
        ("Recruitment advert wording", "Please review the advert for a senior social worker."),
    ],
    "AM": [("Heating fault at the town hall", "The heating on the second floor has failed.")],
    "LEG": [("Contract review turnaround", "When can we expect the review of the leisure contract?")],
}
FEEDBACK = [
    (5, "Clear and quick, thank you."),
    (4, "Good service; the monthly report arrives a little late for our finance meeting."),
    (3, "It took two chases to get an answer."),
    (4, "Helpful staff who understand the council's business."),
    (2, "Slow to respond during the year-end close."),
]


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 15)))


def _working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _services_by_partner(officers) -> dict:
    taken = {}
    for slug, officer in officers.items():
        rows = Subscription.objects.current().filter(partner=officer.partner, service__area__code__in=SUBJECTS)
        taken[slug] = [row.service for row in rows.select_related("service__area").order_by("service__name")]
    return taken


def _story(rng, officer, staff, enquiry, raised: dt.datetime, now: dt.datetime) -> int:
    """Answer, perhaps wait on the customer, resolve and rate, as far as today allows; the last
    fortnight's enquiries are still open, some answered, a few close to their deadline."""
    reply_at = raised + dt.timedelta(hours=rng.choice((2, 5, 20, 26, 50)))
    if reply_at >= now:
        return 0
    services.enquiry_reply(user=staff, enquiry=enquiry, body="Thank you: we are looking into this.", now=reply_at)
    if now - raised < dt.timedelta(days=OPEN_DAYS):
        return 0
    resolve_at = reply_at + dt.timedelta(days=rng.choice((1, 2, 3, 5, 8, 16)))
    if rng.random() < 0.2:
        paused_at = reply_at + dt.timedelta(hours=3)
        resumed_at = paused_at + dt.timedelta(days=rng.choice((1, 3, 6)))
        if resumed_at >= now:
            return 0
        services.enquiry_update(user=staff, enquiry=enquiry, status="awaiting_customer", now=paused_at)
        services.enquiry_reply(
            user=officer, enquiry=enquiry, body="Here is the information you asked for.", now=resumed_at
        )
        resolve_at = max(resolve_at, resumed_at + dt.timedelta(days=1))
    if resolve_at >= now:
        return 0
    services.enquiry_update(user=staff, enquiry=enquiry, status="resolved", now=resolve_at)
    if rng.random() < 0.6:
        score, comment = rng.choice(FEEDBACK)
        services.enquiry_rate(user=officer, enquiry=enquiry, score=score, comment=comment, today=resolve_at.date())
    return 1


def load(*, password: str) -> str:
    if Enquiry.objects.exists():
        return "enquiries already present"
    User = apps.get_model("accounts", "User")
    users = {u.username: u for u in User.objects.filter(username__in=[*OFFICERS.values(), *STAFF.values(), "admin"])}
    if len(users) < len(OFFICERS) + len(STAFF) + 1:
        return "no demo enquiries (demo users missing)"
    admin = users["admin"]
    officers = {slug: users[username] for slug, username in OFFICERS.items()}
    taken = _services_by_partner(officers)
    rng = random.Random("enquiries")  # noqa: S311 - illustrative data, not security
    now = timezone.now()
    today = timezone.localdate()
    start = today - dt.timedelta(weeks=WEEKS)
    raised = resolved = 0
    for week in range(WEEKS + 1):
        monday = start + dt.timedelta(weeks=week)
        for slug, officer in officers.items():
            busy = week >= WEEKS - 2  # the last weeks, so that the queue has work in it
            for _ in range(rng.choice((2, 3) if busy else (0, 0, 1, 1, 2))):
                service = rng.choice(taken[slug]) if taken[slug] else None
                if service is None:
                    continue
                day = _working_day(monday + dt.timedelta(days=rng.randrange(5)))
                at = _moment(day, rng.choice((9, 10, 11, 14, 15)))
                if at >= now:
                    continue
                subject, details = rng.choice(SUBJECTS[service.area.code])
                priority = rng.choice(("normal", "normal", "normal", "high", "low", "urgent"))
                enquiry = services.enquiry_raise(
                    user=officer, service=service, subject=subject, details=details, priority=priority, now=at
                )
                raised += 1
                staff = users.get(STAFF.get(service.area.code), admin)
                resolved += _story(rng, officer, staff, enquiry, at, now)
    logged = 0
    month = add_months(month_start(today), -24)
    while month < month_start(today):
        for slug, officer in officers.items():
            if not taken[slug]:
                continue
            score, comment = rng.choice(FEEDBACK)
            source = Feedback.Source.WORKSHOP if month.month % 3 == 0 else Feedback.Source.INFORMAL
            services.feedback_log(
                user=admin,
                partner=officer.partner,
                service=rng.choice(taken[slug]),
                source=source,
                score=score,
                comment=comment,
                received_on=month + dt.timedelta(days=rng.randrange(20)),
            )
            logged += 1
        month = add_months(month, 1)
    first = Enquiry.objects.filter(resolved_at__isnull=False, service__area__code="EXT").order_by("-opened_at").first()
    if first is not None:
        services.improvement_action_save(
            user=admin,
            service=first.service,
            partner=first.partner,
            origin=ImprovementAction.Origin.ENQUIRY,
            enquiry=first,
            learnt="Collection files are not checked for duplicates before submission.",
            action="Add a duplicate check to the collection run and a second sign-off.",
            owner=users["officer.exchequer"],
            due_on=today + dt.timedelta(days=30),
        )
    # The enquiry and satisfaction KPIs of the months a report's trend shows (13 months).
    month = add_months(month_start(today), -13)
    figures = 0
    while month < month_start(today):
        figures += services.contact_figures_record(month=month)
        month = add_months(month, 1)
    return (
        f"{raised} enquiries over two years ({resolved} resolved, the rest open), {logged} feedback logged, "
        f"{figures} enquiry and satisfaction figures"
    )
