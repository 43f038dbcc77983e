"""Monthly reports in the isolation matrix: a partner officer reads their own council's published
reports only, never oneSource's (it holds every partner's figures), and no pack."""

import datetime as dt

from tests.isolation import Route

OCTOBER = dt.date(2016, 10, 1)


def _published(world):
    from apps.reports.models import MonthlyReport

    from .helpers import publish_all

    if not MonthlyReport.objects.filter(period=OCTOBER).exists():
        publish_all(OCTOBER, world["users"]["admin"])
    return True


def _url(slug, suffix=""):
    return lambda w: _published(w) and f"/reports/2016-10/{slug}/{suffix}"


def _api(world, slug):
    from apps.reports.models import PublishedReport

    _published(world)
    report = PublishedReport.objects.get(report__period=OCTOBER, report__partner__slug=slug)
    return f"/api/v1/reports/{report.pk}/"


def _pack(world):
    from apps.reports.models import CommitteePack

    _published(world)
    return CommitteePack.objects.get_or_create(period=OCTOBER, defaults={"status": "pending"})[0]


PAGES = {
    "reports:report_list": Route.listing(
        lambda w: _published(w) and "/reports/", own=["London Borough of Havering"], other=["London Borough of Newham"]
    ),
    "reports:report_detail": Route.detail(own=_url("havering"), other=_url("newham")),
    "reports:report_generate": Route.denied("/reports/generate/"),
    "reports:report_regenerate": Route.action(other=_url("newham", "regenerate/")),
    "reports:report_publish": Route.action(other=_url("newham", "publish/")),
    "reports:report_revise": Route.action(other=_url("newham", "revise/")),
    "reports:report_month": Route.denied(lambda w: _published(w) and "/reports/2016-10/"),
    "reports:month_publish": Route.action(other=lambda w: _published(w) and "/reports/2016-10/publish/"),
    "reports:month_revise": Route.action(other=lambda w: _published(w) and "/reports/2016-10/revise/"),
    "reports:pack_list": Route.denied("/reports/packs/"),
    "reports:pack_request": Route.denied("/reports/packs/build/"),
    "reports:pack_download": Route.denied(lambda w: _pack(w) and "/reports/packs/2016-10/pdf/"),
}

API = {
    "report-list": Route.listing(
        lambda w: _published(w) and "/api/v1/reports/", own=['"havering"'], other=['"newham"', '"partner":null']
    ),
    "report-detail": Route.detail(own=lambda w: _api(w, "havering"), other=lambda w: _api(w, "newham")),
    "committee-pack-list": Route.listing(lambda w: _pack(w) and "/api/v1/committee-packs/", other=["2016-10-01"]),
    "committee-pack-detail": Route.denied(lambda w: f"/api/v1/committee-packs/{_pack(w).pk}/"),
}
