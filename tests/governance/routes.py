"""The committee's business in the isolation matrix.

Its own pages and API are for members, the clerk and oneSource's staff: a partner officer is refused
them all (404), and the API lists nothing to them. The public pages under /open/ answer everyone,
anonymous users included; what they may never show (drafts, exempt items) is tested in
tests/governance/test_public.py.
"""

import datetime as dt

from django.utils import timezone

from tests.isolation import Route

from . import factories as gf


def business(w):
    """A held meeting with minutes, a decision, an action and an exempt item; the next meeting with its
    agenda published and its pack built; and a meeting whose agenda is still a draft. Made once per world."""
    if "governance" in w:
        return w["governance"]
    from apps.governance import services

    admin = w["users"]["admin"]
    held = gf.meeting(w, days_ahead=-30, hold=True, prepare=gf.public_and_exempt_papers)
    business_item = held.items.get(title="Performance report")
    exempt = held.items.get(is_exempt=True)
    paper = business_item.papers.get()
    minute = services.minute_record(user=admin, item=business_item, text="The committee noted the report.")
    decision = services.decision_record(user=admin, item=business_item, wording="That the report be noted.")
    action = services.action_create(
        user=admin,
        item=business_item,
        decision=decision,
        title="Circulate the savings re-phasing note",
        owner=w["users"]["officer.exchequer"],
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    upcoming = gf.meeting(w, days_ahead=21, publish=True)
    services.agenda_pack_build(meeting_id=upcoming.pk)
    draft = gf.meeting(w, days_ahead=60)
    draft_item = services.agenda_item_add(user=admin, meeting=draft, title="Draft item not yet published")
    w["governance"] = {
        "held": held,
        "item": business_item,
        "exempt": exempt,
        "paper": paper,
        "minute": minute,
        "decision": decision,
        "action": action,
        "upcoming": upcoming,
        "draft": draft,
        "draft_item": draft_item,
    }
    return w["governance"]


def _pk(key, suffix=""):
    return lambda w: f"{business(w)[key].pk}/{suffix}"


def _committee(path):
    return lambda w: business(w) and f"/committee/{path(w) if callable(path) else path}"


def _denied(path):
    return Route.denied(_committee(path))


def _meeting(suffix=""):
    return lambda w: f"meetings/{business(w)['upcoming'].pk}/{suffix}"


def _item(suffix=""):
    return lambda w: f"items/{business(w)['item'].pk}/{suffix}"


def _open(path):
    return Route.public(lambda w: business(w) and f"/open/{path(w) if callable(path) else path}")


def _published_month(w):
    from tests.reports.routes import _published

    _published(w)
    return "figures/2016-10/"


PAGES = {
    "governance:meeting_list": _denied(""),
    "governance:member_list": _denied("members/"),
    "governance:meeting_create": _denied("meetings/new/"),
    "governance:meeting_detail": _denied(_meeting()),
    "governance:meeting_change": _denied(_meeting("edit/")),
    "governance:agenda_publish": _denied(lambda w: f"meetings/{business(w)['draft'].pk}/publish/"),
    "governance:meeting_held": _denied(_meeting("held/")),
    "governance:meeting_cancel": _denied(_meeting("cancel/")),
    "governance:attendance": _denied(_meeting("attendance/")),
    "governance:item_create": _denied(_meeting("items/new/")),
    "governance:pack_download": _denied(lambda w: f"meetings/{business(w)['upcoming'].pk}/pack.pdf"),
    "governance:item_detail": _denied(_item()),
    "governance:item_change": _denied(_item("edit/")),
    "governance:item_move": _denied(_item("move/")),
    "governance:item_remove": Route.action(other=_committee(lambda w: f"items/{business(w)['draft_item'].pk}/remove/")),
    "governance:paper_create": _denied(_item("papers/new/")),
    "governance:minute_record": _denied(_item("minutes/")),
    "governance:decision_create": _denied(_item("decisions/new/")),
    "governance:minutes_approve": _denied(_item("approve-minutes/")),
    "governance:action_create": _denied(_item("actions/new/")),
    "governance:paper_download": _denied(lambda w: f"papers/{business(w)['paper'].pk}/"),
    "governance:decision_list": _denied("decisions/"),
    "governance:action_list": _denied("actions/"),
    "governance:action_detail": _denied(lambda w: f"actions/{business(w)['action'].pk}/"),
    "governance:action_update": _denied(lambda w: f"actions/{business(w)['action'].pk}/update/"),
    "open:index": _open(""),
    "open:meeting_list": _open("meetings/"),
    "open:calendar": _open("meetings.ics"),
    "open:meeting_detail": _open(lambda w: f"meetings/{business(w)['held'].pk}/"),
    "open:pack_download": _open(lambda w: f"meetings/{business(w)['upcoming'].pk}/pack.pdf"),
    "open:paper_download": _open(lambda w: f"papers/{business(w)['paper'].pk}/"),
    "open:decision_list": _open("decisions/"),
    "open:figures": _open("figures/"),
    "open:figures_month": _open(_published_month),
    "open:data": _open("data/"),
    "open:kpis_csv": _open("data/kpis.csv"),
    "open:kpis_json": _open("data/kpis.json"),
}


def _api(path):
    return lambda w: business(w) and f"/api/v1/{path(w) if callable(path) else path}"


API = {
    "meeting-list": Route.listing(_api("meetings/"), other=["Town Hall", "agenda_published"]),
    "meeting-detail": Route.denied(_api(lambda w: f"meetings/{business(w)['upcoming'].pk}/")),
    "meeting-publish": Route.action(other=_api(lambda w: f"meetings/{business(w)['draft'].pk}/publish/")),
    "agendaitem-list": Route.listing(_api("agenda-items/"), other=["Performance report"]),
    "agendaitem-detail": Route.denied(_api(lambda w: f"agenda-items/{business(w)['item'].pk}/")),
    "decision-list": Route.listing(_api("decisions/"), other=["That the report be noted."]),
    "decision-detail": Route.denied(_api(lambda w: f"decisions/{business(w)['decision'].pk}/")),
    "committeeaction-list": Route.listing(_api("committee-actions/"), other=["re-phasing note"]),
    "committeeaction-detail": Route.denied(_api(lambda w: f"committee-actions/{business(w)['action'].pk}/")),
    "committeeaction-record-update": Route.action(
        other=_api(lambda w: f"committee-actions/{business(w)['action'].pk}/record-update/")
    ),
}
