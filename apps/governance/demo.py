"""Illustrative committee business, relative to today: a year of meetings with agendas, minutes,
decisions and actions, and the next meeting ahead with its agenda published (DEBUG only)."""

import datetime as dt

from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.services import user_create
from apps.core.roles import Role
from apps.partners.models import Partner
from apps.reports.models import CommitteePack, PublishedReport
from apps.savings.models import Programme, SavingLine

from . import services
from .models import Committee, CommitteeOfficer, Meeting, Membership

# username, first name, last name, council slug, kind, office (the demo user "committee" chairs it)
MEMBERS = [
    ("committee", "Chris", "Moss", "havering", "member", "chair"),
    ("cllr.newham", "Nadia", "Okafor", "newham", "member", "vice_chair"),
    ("cllr.bexley", "Brian", "Hale", "bexley", "member", ""),
    ("cllr.havering.sub", "Helen", "Price", "havering", "substitute", ""),
    ("cllr.newham.sub", "Nathan", "Shah", "newham", "substitute", ""),
]
OFFICERS = [("admin", "Clerk to the Joint Committee"), ("director.exchequer", "Lead director for savings")]
PLACES = ["Havering Town Hall, Romford", "Newham Dockside, London E16", "Civic Offices, Bexleyheath"]
PAST_MEETINGS = 6  # every two months over the last year
# Days after a meeting that its three actions fall due. The last meeting was held 49 to 55 days ago (the
# Tuesday on or after 55 days back), so of its actions the first is done, the second overdue by 9 to 15
# days and the third due within the next 5 to 11 days, whatever the weekday of today.
ACTIONS_DUE_AFTER = (30, 40, 60)


def _on_a_tuesday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


def load(*, password) -> str:
    committee = Committee.objects.filter(slug="joint-committee").first()
    admin = User.objects.filter(username="admin").first()
    if committee is None or admin is None:
        return "no committee business (no committee or no admin user)"
    if Meeting.objects.filter(committee=committee).exists():
        return "committee business already loaded"
    today = timezone.localdate()
    _members(committee, password, today)
    for username, title in OFFICERS:
        user = User.objects.filter(username=username).first()
        if user:
            CommitteeOfficer.objects.get_or_create(committee=committee, user=user, defaults={"title": title})

    owners = list(User.objects.filter(username__in=["director.exchequer", "director.ict", "officer.exchequer"]))
    lines = list(SavingLine.objects.order_by("reference")[:PAST_MEETINGS])
    report = (
        PublishedReport.objects.latest_versions()
        .filter(report__partner__isnull=True)
        .order_by("-report__period")
        .first()
    )
    previous = None
    for number in range(PAST_MEETINGS, 0, -1):
        day = _on_a_tuesday(today - dt.timedelta(days=60 * number - 5))
        meeting = _held_meeting(committee, admin, day, PLACES[number % 3], report, lines, owners, number, today)
        if previous is not None:
            services.minutes_approve(user=admin, item=meeting.items.get(kind="minutes"))
        previous = meeting
    upcoming = _upcoming_meeting(committee, admin, _on_a_tuesday(today + dt.timedelta(days=14)), lines)
    return f"{PAST_MEETINGS} meetings held over the last year and the next on {upcoming.meets_on:%-d %B %Y}"


def _members(committee, password, today):
    start = dt.date(today.year - 1, 5, 1)
    for username, first, last, slug, kind, office in MEMBERS:
        council = Partner.objects.filter(slug=slug).first()
        if council is None:
            continue
        user = User.objects.filter(username=username).first() or user_create(
            username=username,
            role=Role.COMMITTEE_MEMBER,
            password=password,
            first_name=first,
            last_name=last,
            job_title="Councillor",
            email=f"{username}@onesource.example",
        )
        Membership.objects.get_or_create(
            committee=committee,
            user=user,
            starts_on=start,
            defaults={"council": council, "kind": kind, "office": office},
        )


def _held_meeting(committee, admin, day, place, report, lines, owners, number, today):
    meeting = services.meeting_schedule(
        user=admin, committee=committee, meets_on=day, starts_at=dt.time(18, 30), place=place
    )
    performance = services.agenda_item_add(
        user=admin,
        meeting=meeting,
        title="Monthly performance report",
        summary="oneSource's KPIs, SLA compliance, savings and delivery plan, as published to the councils.",
        purpose="information",
        lead_officer=admin,
    )
    if report is not None:
        services.paper_add(user=admin, item=performance, title="Monthly report", kind="monthly_report", target=report)
    line = lines[number - 1] if len(lines) >= number else None
    savings = services.agenda_item_add(
        user=admin,
        meeting=meeting,
        title=f"Savings: re-phasing of {line.reference}" if line else "Savings programme update",
        summary="The committee is asked to agree moving part of the saving's target to the next financial year.",
        purpose="decision",
        lead_officer=line.owner if line and line.owner_id else None,
    )
    programme = Programme.objects.order_by("display_order").first()
    if programme is not None:
        services.paper_add(user=admin, item=savings, title=programme.name, kind="programme", target=programme)
    exempt = None
    if number == 3:
        exempt = services.agenda_item_add(
            user=admin,
            meeting=meeting,
            title="Senior management restructure: individual posts",
            purpose="decision",
            is_exempt=True,
            exempt_paragraph=1,
        )
    services.agenda_publish(user=admin, meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(
        agenda_published_at=timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=9), dt.time(10)))
    )
    meeting.refresh_from_db()
    services.meeting_mark_held(user=admin, meeting=meeting)
    _attendance(admin, meeting, apologies=number % 2 == 0)

    services.minute_record(
        user=admin,
        item=performance,
        text="The committee received the report and asked about the red KPIs; "
        "the directors explained the actions in hand.",
    )
    services.decision_record(user=admin, item=performance, wording="That the monthly performance report be noted.")
    services.minute_record(user=admin, item=savings, text="Members discussed the delay and the reasons for it.")
    decision = services.decision_record(
        user=admin,
        item=savings,
        wording="That the re-phasing be approved and progress be reported to the next meeting.",
        saving_lines=[line] if line else [],
        programmes=[programme] if programme else [],
    )
    if exempt is not None:
        services.minute_record(user=admin, item=exempt, text="Members agreed the recommendations in the exempt report.")
        services.decision_record(
            user=admin, item=exempt, wording="That the recommendations of the exempt report be agreed."
        )
    for index, owner in enumerate(owners):
        due = day + dt.timedelta(days=ACTIONS_DUE_AFTER[index % len(ACTIONS_DUE_AFTER)])
        action = services.action_create(
            user=admin,
            item=savings,
            decision=decision,
            title=[
                "Report progress on the re-phased saving",
                "Circulate the revised phasing to finance leads",
                "Update the savings tracker",
            ][index % 3],
            owner=owner,
            due_on=due,
        )
        # Earlier meetings' actions were done; of the last meeting's, only the first (see ACTIONS_DUE_AFTER).
        if due < today and (number > 1 or index == 0):
            services.action_update_post(
                user=owner, action=action, note="Done and reported to members.", status="done", posted_on=due
            )
    return meeting


def _attendance(admin, meeting, *, apologies):
    rows = []
    for membership in Membership.objects.filter(committee=meeting.committee).select_related("user", "council"):
        presence = "present"
        if membership.kind == "substitute":
            presence = "present" if apologies and membership.council.slug == "newham" else ""
        elif apologies and membership.council.slug == "newham":
            presence = "apologies"
        if presence:
            rows.append(
                {
                    "user": membership.user,
                    "council": membership.council,
                    "capacity": membership.kind,
                    "presence": presence,
                }
            )
    for officer in meeting.committee.officers.select_related("user"):
        rows.append({"user": officer.user, "council": None, "capacity": "officer", "presence": "present"})
    services.attendance_record(user=admin, meeting=meeting, rows=rows)


def _upcoming_meeting(committee, admin, day, lines):
    meeting = services.meeting_schedule(
        user=admin,
        committee=committee,
        meets_on=day,
        starts_at=dt.time(18, 30),
        place=PLACES[0],
        online_link="https://meetings.onesource.example/joint-committee",
    )
    pack = CommitteePack.objects.filter(status=CommitteePack.Status.READY).order_by("-period").first()
    performance = services.agenda_item_add(
        user=admin, meeting=meeting, title="Joint Committee performance pack", purpose="information", lead_officer=admin
    )
    if pack is not None:
        services.paper_add(user=admin, item=performance, title=str(pack), kind="committee_pack", target=pack)
    line = lines[0] if lines else None
    services.agenda_item_add(
        user=admin,
        meeting=meeting,
        title=f"Decision: re-phasing of saving {line.reference}" if line else "Decision: re-phasing of a saving",
        purpose="decision",
        lead_officer=line.owner if line and line.owner_id else None,
    )
    services.agenda_item_add(user=admin, meeting=meeting, title="Principal risks", purpose="information")
    services.agenda_item_add(user=admin, meeting=meeting, title="Growth pipeline", purpose="information")
    services.agenda_publish(user=admin, meeting=meeting)
    return meeting
