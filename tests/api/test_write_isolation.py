"""No write of the API lets a partner officer read or change another partner's rows.

For every write operation of the router (POST, PUT, PATCH and DELETE), ``officer.havering`` sends a
valid request aimed at Newham's row, or naming Newham when it creates one:

* on an object's address (a detail route or an action on an object) the answer is 404, reading the
  object is a 404 too, and nothing in the database has changed;
* on a list's address (a create) it is refused, and nothing has changed; where the partner comes
  from the user instead (requests for services, enquiries) the row is made for Havering and none
  of Newham's rows has changed.

Then the same request is made by a user who may make it (an admin, or Newham's own officer) and it
succeeds and changes the database: the refusal came from the isolation, not from a bad request.

Newham's rows are those the isolation matrix makes (tests/<app>/routes.py, see tests/isolation.py).
A write operation added to the router without a case here fails ``test_every_write_is_checked``.
"""

import datetime as dt
import json
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.utils import timezone

from apps.customers.models import Enquiry
from apps.kpis.models import Measurement
from apps.savings.selectors import reporting_year
from apps.slas.models import Agreement
from onesource.api import router
from tests.customers import routes as customer_routes
from tests.delivery import routes as delivery_routes
from tests.governance import routes as governance_routes
from tests.isolation import collect, resolve
from tests.kpis import routes as kpi_routes
from tests.savings import routes as savings_routes
from tests.transformation import routes as transformation_routes

API = collect("API")
WRITE_METHODS = ("post", "put", "patch", "delete")
DOMAIN_APPS = {config.label for config in apps.get_app_configs() if config.name.startswith("apps.")}


@dataclass(frozen=True)
class Write:
    """A valid write aimed at Newham's row; ``path`` defaults to the matrix's ``other`` for the route."""

    body: object = field(default_factory=dict)
    path: object = None
    owner: str = "admin"  # a user who may make this very change
    prepare: object = None  # puts Newham's row in the state the change needs
    own_partner_only: bool = False  # a create that takes the partner from the user, not the body


def _set(model, **values):
    """``prepare`` for a route: Newham's row of the route's ``other`` path given ``values``."""

    def prepare(world, path):
        pk = int(path.rstrip("/").split("/")[-2])
        model.objects.filter(pk=pk).update(**values)

    return prepare


def _contact(world):
    return {
        "partner": "newham",
        "name": "Planted Contact",
        "job_title": "Head of Revenues",
        "responsibility": "other",
        "email": "planted@newham.example",
        "phone": "020 7000 0000",
    }


def _partner(world):
    return {
        "name": "London Borough of Newham",
        "short_name": "Newham",
        "kind": "founding_partner",
        "arrangement": "joint_committee",
        "sector": "london_borough",
        "joined_on": "2014-04-01",
        "customer_count": 3,
        "notes": "Changed",
    }


def _savings_update(world):
    line = savings_routes._lines(world)["other"]
    return {
        "version": line.version,
        "financial_year": reporting_year(),
        "forecast": "700.00",
        "achieved": "100.00",
        "status": "on_track",
    }


def _in_force(world, path):
    """Newham's agreement signed by both sides and in force."""
    signed = {"partner_signed_by": world["users"]["officer.newham"], "onesource_signed_by": world["users"]["admin"]}
    now = timezone.now()
    _set(
        Agreement,
        status=Agreement.Status.ACTIVE,
        activated_at=now,
        partner_signed_at=now,
        onesource_signed_at=now,
        **signed,
    )(world, path)


def _measurement(world):
    kpi_routes._kpi(world)
    return {"kpi": "ICT-01", "partner": "newham", "period": "2016-06-01", "numerator": "90", "denominator": "100"}


WRITES = {
    # Partners and contacts.
    ("contact-list", "post"): Write(body=_contact, path="/api/v1/contacts/"),
    ("contact-detail", "put"): Write(body=_contact),
    ("contact-detail", "patch"): Write(body={"name": "Someone Else"}),
    ("contact-detail", "delete"): Write(),
    ("partner-list", "post"): Write(
        body={**_partner(None), "name": "Planted", "short_name": "Planted"}, path="/api/v1/partners/"
    ),
    ("partner-detail", "put"): Write(body=_partner),
    ("partner-detail", "patch"): Write(body={"notes": "Changed"}),
    # The catalogue.
    ("subscription-list", "post"): Write(
        body={"partner": "newham", "service": "payroll", "starts_on": "2017-04-01"}, path="/api/v1/subscriptions/"
    ),
    ("commissioningrequest-list", "post"): Write(
        body={
            "partner": "newham",
            "service": "council-tax-and-benefits",
            "needed_from": "2017-04-01",
            "details": "Ours",
        },
        path="/api/v1/commissioning-requests/",
        own_partner_only=True,
    ),
    ("commissioningrequest-accept", "post"): Write(body={"reason": "Agreed"}),
    ("commissioningrequest-decline", "post"): Write(body={"reason": "Not this year."}),
    ("commissioningrequest-review", "post"): Write(),
    ("commissioningrequest-withdraw", "post"): Write(owner="officer.newham"),
    # Agreements: Newham signs its own; the performance team reviews the one in force.
    ("agreement-sign", "post"): Write(owner="officer.newham"),
    ("agreement-start-review", "post"): Write(prepare=_in_force),
    # KPI figures.
    ("measurement-list", "post"): Write(body=_measurement, path="/api/v1/measurements/"),
    ("measurement-submit", "post"): Write(prepare=_set(Measurement, status=Measurement.Status.DRAFT)),
    ("measurement-approve", "post"): Write(prepare=_set(Measurement, status=Measurement.Status.SUBMITTED)),
    ("measurement-return", "post"): Write(
        body={"reason": "Check the denominator."}, prepare=_set(Measurement, status=Measurement.Status.SUBMITTED)
    ),
    # Savings.
    ("savingline-record-update", "post"): Write(body=_savings_update),
    # The delivery plan and transformation projects (oneSource's own, not shown to partners).
    ("plan-roll-forward", "post"): Write(),
    ("activityupdate-list", "post"): Write(
        body=lambda w: {
            "activity": delivery_routes._activity(w).pk,
            "status": "on_track",
            "progress": 50,
            "narrative": "Going to plan.",
        },
        path="/api/v1/activity-updates/",
    ),
    ("project-stage", "post"): Write(body={"to_stage": "analysis"}),
    ("projectupdate-list", "post"): Write(
        body=lambda w: {"project": transformation_routes._project(w).pk, "rag": "amber", "narrative": "Slipping."},
        path="/api/v1/project-updates/",
    ),
    # The risk register: only the risk's owner, its area's director or an admin scores it again.
    ("risk-assess", "post"): Write(
        body={
            "inherent_likelihood": 4,
            "inherent_impact": 4,
            "residual_likelihood": 3,
            "residual_impact": 2,
            "note": "Consultation under way.",
        }
    ),
    # The growth pipeline is oneSource's own: its owner or an admin moves it.
    ("opportunity-stage", "post"): Write(body={"stage": "proposal"}),
    # Enquiries: Newham's officers reply and rate; staff of the service change them.
    ("enquiry-list", "post"): Write(
        body={"partner": "newham", "service": "payroll", "subject": "Payslips", "details": "Ours, not Newham's."},
        path="/api/v1/enquiries/",
        own_partner_only=True,
    ),
    ("enquiry-reply", "post"): Write(body={"body": "Any news?"}, owner="officer.newham"),
    ("enquiry-change", "post"): Write(body={"status": "in_progress"}),
    ("enquiry-rate", "post"): Write(
        body={"score": 4, "comment": "Quick."},
        owner="officer.newham",
        prepare=_set(Enquiry, status=Enquiry.Status.RESOLVED, resolved_at=dt.datetime(2016, 11, 25, tzinfo=dt.UTC)),
    ),
    # The Joint Committee's business: the clerk writes; an action's owner reports progress on it.
    ("meeting-list", "post"): Write(
        body=lambda w: {
            "meets_on": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
            "starts_at": "10:00:00",
            "place": "Newham Town Hall",
        },
        path="/api/v1/meetings/",
        prepare=lambda w, path: governance_routes.business(w),
    ),
    ("meeting-publish", "post"): Write(),
    ("agendaitem-list", "post"): Write(
        body=lambda w: {
            "meeting": governance_routes.business(w)["draft"].pk,
            "title": "Planted",
            "purpose": "decision",
        },
        path="/api/v1/agenda-items/",
    ),
    ("decision-list", "post"): Write(
        body=lambda w: {"item": governance_routes.business(w)["item"].pk, "wording": "That the report be noted."},
        path="/api/v1/decisions/",
    ),
    ("committeeaction-list", "post"): Write(
        body=lambda w: {
            "item": governance_routes.business(w)["item"].pk,
            "title": "Planted action",
            "owner": "officer.exchequer",
            "due_on": "2030-01-31",
        },
        path="/api/v1/committee-actions/",
    ),
    ("committeeaction-record-update", "post"): Write(
        body={"status": "in_progress", "note": "Started."}, owner="officer.exchequer"
    ),
}


def _write_operations():
    """(route name, method) of every write the router answers."""
    found = set()
    for url in router.urls:
        actions = getattr(url.callback, "actions", {})
        allowed = url.callback.cls.http_method_names
        found |= {(url.name, method) for method in actions if method in WRITE_METHODS and method in allowed}
    return found


def test_every_write_is_checked():
    assert sorted(_write_operations() - set(WRITES)) == []
    assert sorted(set(WRITES) - _write_operations()) == []


def _snapshot(partner=None):
    """Every row of the portal's models, or only the rows that belong to ``partner``."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in DOMAIN_APPS:
            continue
        queryset = model._default_manager.all()
        if partner is not None:
            lookup = getattr(queryset, "partner_lookup", None)
            if lookup is None:
                continue
            queryset = queryset.filter(**{lookup: partner.pk})
        rows[model._meta.label] = list(queryset.order_by("pk").values())
    return rows


def _send(client, method, path, body):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def _object_path(name, path):
    """The object's own address: the path of a detail route, or of the object an action is on."""
    return path if name.endswith("-detail") else path.rstrip("/").rsplit("/", 1)[0] + "/"


@pytest.mark.parametrize("operation", sorted(WRITES), ids="{0[0]} {0[1]}".format)
def test_a_partner_officer_cannot_change_another_partners_rows(operation, world, api_for):
    name, method = operation
    write = WRITES[operation]
    path = resolve(write.path or API[name].other, world)
    customer_routes.rows(world)  # every kind of row exists, for both partners
    if write.prepare:
        write.prepare(world, path)
    body = resolve(write.body, world)
    officer = api_for("officer.havering")
    before, newhams = _snapshot(), _snapshot(world["newham"])

    response = _send(officer, method, path, body)

    if name.endswith("-list"):
        if write.own_partner_only:
            assert response.status_code == 201, response.content
            assert response.json()["partner"] == "havering"
            assert _snapshot(world["newham"]) == newhams
            return
        assert response.status_code in (400, 403, 404), (response.status_code, response.content)
    else:
        assert response.status_code == 404, (response.status_code, response.content)
        assert officer.get(_object_path(name, path)).status_code == 404
    assert _snapshot() == before

    allowed = _send(api_for(write.owner), method, path, body)
    assert 200 <= allowed.status_code < 300, (write.owner, allowed.status_code, allowed.content)
    assert _snapshot() != before
