"""Open data: the published KPI figures and ratings, by month and partner council.

Read from the latest published version of each partner council's monthly report, so that the CSV and
the JSON say exactly what the councils were told. Customers of oneSource are not partner councils
and never appear; nor does anything a report has not published.
"""

from __future__ import annotations

from apps.partners.models import Partner
from apps.reports.models import PublishedReport

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

#: The partner kinds whose figures are published: the councils of the Joint Committee.
COUNCIL_KINDS = (Partner.Kind.FOUNDING_PARTNER, Partner.Kind.PARTNER)

COLUMNS = [
    ("month", "The month reported, as YYYY-MM."),
    ("council", "The partner council's name."),
    ("council_slug", "A short, stable identifier of the council."),
    ("kpi_code", "The KPI's code, for example EXT-03."),
    ("kpi_name", "What the KPI measures."),
    ("service_area", "The code of the oneSource service area responsible."),
    ("unit", "percent, count, days or GBP."),
    ("polarity", "higher or lower: which way is better."),
    ("actual", "The council's figure for the month, as published; empty when no figure was approved."),
    ("target", "The target the figure is rated against; empty when there is none."),
    ("rag", "The rating: green (target met), amber (within tolerance), red, or grey (no figure or no target)."),
    ("year_to_date", "The figure for the financial year to date, by the KPI's own rule."),
    ("year_to_date_rag", "The rating of the year-to-date figure against the target."),
    ("report_version", "The version of the published monthly report the row comes from."),
    ("published_on", "The date that version was published, as YYYY-MM-DD."),
]
COLUMN_NAMES = [name for name, _ in COLUMNS]


def published_council_reports():
    return (
        PublishedReport.objects.latest_versions()
        .filter(report__partner__kind__in=COUNCIL_KINDS)
        .select_related("report__partner")
        .order_by("report__period", "report__partner__name")
    )


def kpi_rows() -> list[dict]:
    """One row per KPI, council and month published, in the order of ``COLUMNS``."""
    rows = []
    for published in published_council_reports():
        report = published.report
        for kpi in published.snapshot["kpis"]["rows"]:
            rows.append(
                {
                    "month": f"{report.period:%Y-%m}",
                    "council": report.partner.name,
                    "council_slug": report.partner.slug,
                    "kpi_code": kpi["code"],
                    "kpi_name": kpi["name"],
                    "service_area": kpi["area"],
                    "unit": kpi["unit"],
                    "polarity": kpi["polarity"],
                    "actual": kpi["actual"],
                    "target": kpi["target"],
                    "rag": kpi["rag"],
                    "year_to_date": kpi["ytd"],
                    "year_to_date_rag": kpi["ytd_rag"],
                    "report_version": published.version,
                    "published_on": f"{published.published_at:%Y-%m-%d}",
                }
            )
    return rows


def onesource_figures(period=None):
    """The latest published version of oneSource's own report for ``period`` (the latest month when
    None), or None when that month has none."""
    published = PublishedReport.objects.latest_versions().filter(report__partner__isnull=True).select_related("report")
    if period is not None:
        published = published.filter(report__period=period)
    return published.order_by("-report__period").first()


def published_months() -> list:
    return list(
        PublishedReport.objects.latest_versions()
        .filter(report__partner__isnull=True)
        .order_by("-report__period")
        .values_list("report__period", flat=True)
    )
