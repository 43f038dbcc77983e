from tests.isolation import Route
from tests.kpis.factories import KPIFactory
from tests.slas.factories import AgreementFactory, ObligationFactory, ScheduleFactory, StandardFactory


def _agreement(world, slug):
    """A draft for the partner with a schedule, a standard and an obligation naming the partner."""
    existing = world[slug].agreements.first()
    if existing:
        return existing
    agreement = AgreementFactory(partner=world[slug], title=f"{slug.title()} agreement title")
    ScheduleFactory(agreement=agreement, service=world["services"]["it_support"], scope=f"{slug.title()} scope")
    kpi = KPIFactory(code="ICT-01", area=world["areas"]["ICT"], service=world["services"]["it_support"])
    StandardFactory(agreement=agreement, kpi=kpi, description=f"{slug.title()} standard")
    ObligationFactory(agreement=agreement, description=f"{slug.title()} obligation")
    return agreement


def _both(world, path):
    _agreement(world, "havering")
    _agreement(world, "newham")
    return path


def _pk(world, slug):
    return _agreement(world, slug).pk


PAGES = {
    "slas:agreement_list": Route.listing(
        lambda w: _both(w, "/slas/"), own=["SLA-HAV"], other=["SLA-NEW", "Newham agreement title"]
    ),
    "slas:agreement_detail": Route.detail(
        own=lambda w: f"/slas/{_pk(w, 'havering')}/", other=lambda w: f"/slas/{_pk(w, 'newham')}/"
    ),
    "slas:agreement_pdf": Route.detail(
        own=lambda w: f"/slas/{_pk(w, 'havering')}/pdf/", other=lambda w: f"/slas/{_pk(w, 'newham')}/pdf/"
    ),
    "slas:agreement_sign": Route.action(other=lambda w: f"/slas/{_pk(w, 'newham')}/sign/"),
    "slas:agreement_start_review": Route.action(other=lambda w: f"/slas/{_pk(w, 'newham')}/review/"),
    "slas:standard_create": Route.denied(lambda w: f"/slas/{_pk(w, 'havering')}/standards/new/"),
    "slas:review_list": Route.denied("/slas/reviews/"),
    "slas:agreement_create": Route.denied("/slas/new/"),
    "slas:schedule_create": Route.denied(lambda w: f"/slas/{_pk(w, 'havering')}/schedules/new/"),
    "slas:obligation_create": Route.denied(lambda w: f"/slas/{_pk(w, 'havering')}/obligations/new/"),
}

API = {
    "agreement-list": Route.listing(
        lambda w: _both(w, "/api/v1/agreements/"), own=["SLA-HAV"], other=["SLA-NEW", "newham"]
    ),
    "agreement-detail": Route.detail(
        own=lambda w: f"/api/v1/agreements/{_pk(w, 'havering')}/",
        other=lambda w: f"/api/v1/agreements/{_pk(w, 'newham')}/",
    ),
    "agreement-compliance": Route.detail(
        own=lambda w: f"/api/v1/agreements/{_pk(w, 'havering')}/compliance/",
        other=lambda w: f"/api/v1/agreements/{_pk(w, 'newham')}/compliance/",
    ),
    "agreement-sign": Route.action(other=lambda w: f"/api/v1/agreements/{_pk(w, 'newham')}/sign/"),
    "agreement-start-review": Route.action(other=lambda w: f"/api/v1/agreements/{_pk(w, 'newham')}/start-review/"),
    "serviceschedule-list": Route.listing(
        lambda w: _both(w, "/api/v1/agreement-schedules/"), own=["Havering scope"], other=["Newham scope"]
    ),
    "serviceschedule-detail": Route.detail(
        own=lambda w: f"/api/v1/agreement-schedules/{_agreement(w, 'havering').schedules.get().pk}/",
        other=lambda w: f"/api/v1/agreement-schedules/{_agreement(w, 'newham').schedules.get().pk}/",
    ),
    "servicestandard-list": Route.listing(
        lambda w: _both(w, "/api/v1/agreement-standards/"), own=["Havering standard"], other=["Newham standard"]
    ),
    "servicestandard-detail": Route.detail(
        own=lambda w: f"/api/v1/agreement-standards/{_agreement(w, 'havering').standards.get().pk}/",
        other=lambda w: f"/api/v1/agreement-standards/{_agreement(w, 'newham').standards.get().pk}/",
    ),
    "customerobligation-list": Route.listing(
        lambda w: _both(w, "/api/v1/agreement-obligations/"), own=["Havering obligation"], other=["Newham obligation"]
    ),
    "customerobligation-detail": Route.detail(
        own=lambda w: f"/api/v1/agreement-obligations/{_agreement(w, 'havering').obligations.get().pk}/",
        other=lambda w: f"/api/v1/agreement-obligations/{_agreement(w, 'newham').obligations.get().pk}/",
    ),
}
