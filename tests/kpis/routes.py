import datetime as dt
from decimal import Decimal

from tests.isolation import Route
from tests.kpis.factories import KPIFactory, MeasurementFactory, TargetFactory

MAY = dt.date(2016, 5, 1)
# The footer names every founding partner, so pages are checked for Newham's rows, not its name.
NEWHAM_ROW = '<th scope="row" class="govuk-table__header">Newham</th>'


def _kpi(world):
    return KPIFactory(
        code="ICT-01",
        name="First-contact resolution",
        area=world["areas"]["ICT"],
        service=world["services"]["it_support"],
    )


def _figure(world, slug):
    """An approved May 2016 figure for the partner, with a commentary naming it."""
    kpi = _kpi(world)
    existing = kpi.measurements.filter(partner=world[slug]).first()
    return existing or MeasurementFactory(
        kpi=kpi, partner=world[slug], period=MAY, commentary=f"{slug.title()} commentary"
    )


def _both(world, path):
    _figure(world, "havering")
    _figure(world, "newham")
    return path


def _target(world, slug):
    return TargetFactory(kpi=_kpi(world), partner=world[slug], value=Decimal("70"))


PAGES = {
    "kpis:kpi_list": Route.listing(lambda w: (_kpi(w), "/kpis/")[-1], own=["ICT-01", "First-contact resolution"]),
    "kpis:kpi_detail": Route.listing(
        lambda w: _both(w, "/kpis/ICT-01/?month=2016-05"), own=["Havering", "96.0%"], other=[NEWHAM_ROW]
    ),
    "kpis:target_create": Route.denied(lambda w: (_kpi(w), "/kpis/ICT-01/targets/new/")[-1]),
    "kpis:scorecard": Route.listing(
        lambda w: _both(w, "/kpis/scorecard/?partner=havering&month=2016-05"),
        own=["Havering commentary", "ICT-01"],
        other=["Newham commentary", "London Borough of Newham"],
    ),
    "kpis:measurement_detail": Route.detail(
        own=lambda w: _figure(w, "havering").get_absolute_url(),
        other=lambda w: _figure(w, "newham").get_absolute_url(),
    ),
    "kpis:measurement_decide": Route.action(other=lambda w: f"/kpis/measurements/{_figure(w, 'newham').pk}/decide/"),
    "kpis:entry_grid": Route.denied("/kpis/entry/"),
    "kpis:approval_queue": Route.denied("/kpis/approvals/"),
    "kpis:my_returns": Route.denied("/kpis/returns/"),
    "kpis:measurement_import": Route.denied("/kpis/import/"),
    "kpis:import_template": Route.denied("/kpis/import/template/"),
}

API = {
    "kpi-list": Route.listing(lambda w: (_kpi(w), "/api/v1/kpis/")[-1], own=['"ICT-01"']),
    "kpi-detail": Route.page(lambda w: f"/api/v1/kpis/{_kpi(w).pk}/", other=["newham"]),
    "target-list": Route.listing(
        lambda w: (_target(w, "havering"), _target(w, "newham"), "/api/v1/kpi-targets/")[-1],
        own=['"havering"'],
        other=["newham"],
    ),
    "target-detail": Route.detail(
        own=lambda w: f"/api/v1/kpi-targets/{_target(w, 'havering').pk}/",
        other=lambda w: f"/api/v1/kpi-targets/{_target(w, 'newham').pk}/",
    ),
    "measurement-list": Route.listing(
        lambda w: _both(w, "/api/v1/measurements/"), own=["Havering commentary"], other=["newham", "Newham"]
    ),
    "measurement-detail": Route.detail(
        own=lambda w: f"/api/v1/measurements/{_figure(w, 'havering').pk}/",
        other=lambda w: f"/api/v1/measurements/{_figure(w, 'newham').pk}/",
    ),
    "measurement-submit": Route.action(other=lambda w: f"/api/v1/measurements/{_figure(w, 'newham').pk}/submit/"),
    "measurement-approve": Route.action(other=lambda w: f"/api/v1/measurements/{_figure(w, 'newham').pk}/approve/"),
    "measurement-return": Route.action(other=lambda w: f"/api/v1/measurements/{_figure(w, 'newham').pk}/return/"),
}
