"""Reads of monthly reports: restricted by the access policy, each in a fixed number of queries.

Administrators (the performance team) work on the drafts; everyone else reads published versions,
a partner officer only their own council's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q

from apps.core.periods import add_months
from apps.core.policy import is_admin
from apps.partners.models import Partner

from .models import ONESOURCE, CommitteePack, MonthlyReport, PublishedReport

#: The working copy's figures, which a published version's reader never needs.
WORKING_COPY = ("report__snapshot", "report__headline")


def report_list(*, user):
    """Drafts and all (administrators) or the latest published versions the user may read."""
    if is_admin(user):
        return MonthlyReport.objects.visible_to(user).select_related("partner").defer("snapshot")
    return (
        PublishedReport.objects.visible_to(user)
        .latest_versions()
        .select_related("report__partner")
        .defer(*WORKING_COPY, "snapshot")
    )


def partner_for_scope(scope: str) -> Partner | None:
    """The partner of a scope slug (None for oneSource); Partner.DoesNotExist if there is none."""
    return None if scope == ONESOURCE else Partner.objects.get(slug=scope)


def _scope_q(prefix: str, partner: Partner | None) -> Q:
    return Q(**{f"{prefix}partner__isnull": True}) if partner is None else Q(**{f"{prefix}partner": partner})


@dataclass
class ReportView:
    """What the report page shows: a snapshot (a published version, or an administrator's draft)."""

    report: MonthlyReport
    published: PublishedReport | None
    versions: list[PublishedReport]
    snapshot: dict
    is_draft: bool
    previous_version: PublishedReport | None
    last_month: dict | None
    pack_ready: bool = False

    @property
    def reason(self) -> str:
        if self.is_draft:
            return self.report.revision_reason if self.report.version > 1 else ""
        return self.published.reason if self.published else ""


def report_view(*, user, period: dt.date, scope: str, version: int | None = None) -> ReportView:
    """The report the user may read for that month and scope; MonthlyReport.DoesNotExist otherwise."""
    try:
        partner = partner_for_scope(scope)
    except Partner.DoesNotExist:
        raise MonthlyReport.DoesNotExist from None
    reports = MonthlyReport.objects.select_related("partner").annotate(
        # Whether the month's committee pack is ready for this reader, read with the report itself.
        pack_ready=Exists(
            CommitteePack.objects.visible_to(user).filter(period=OuterRef("period"), status=CommitteePack.Status.READY)
        )
    )
    if not is_admin(user):
        reports = reports.defer("snapshot", "headline")  # readers see published versions only
    report = reports.get(_scope_q("", partner), period=period)
    versions = list(
        PublishedReport.objects.visible_to(user)
        .filter(report=report)
        .select_related("published_by")
        .order_by("-version")
    )
    admin = is_admin(user)
    if not admin and not versions:
        raise MonthlyReport.DoesNotExist
    if version is not None:
        published = next((v for v in versions if v.version == version), None)
        if published is None:
            raise MonthlyReport.DoesNotExist
    else:
        published = versions[0] if versions else None
    show_draft = admin and version is None and report.is_draft
    snapshot = report.snapshot if show_draft else (published.snapshot if published else {})
    shown_version = report.version if show_draft else (published.version if published else None)
    previous = next((v for v in versions if shown_version and v.version < shown_version), None)
    last = (
        PublishedReport.objects.visible_to(user)
        .latest_versions()
        .filter(_scope_q("report__", partner), report__period=add_months(period, -1))
        .only("snapshot")
        .first()
    )
    return ReportView(
        report=report,
        published=published,
        versions=versions,
        snapshot=snapshot,
        is_draft=show_draft,
        previous_version=previous,
        last_month=last.snapshot if last else None,
        pack_ready=report.pack_ready,
    )


def _kpi_index(snapshot: dict) -> dict:
    return {row["code"]: row for row in (snapshot or {}).get("kpis", {}).get("rows", [])}


def changes(before: dict | None, after: dict) -> list[dict]:
    """What differs between two snapshots of the same scope: KPI figures and ratings, and headlines."""
    if not before or not after:
        return []
    found = []
    old, new = _kpi_index(before), _kpi_index(after)
    for code, row in new.items():
        was = old.get(code)
        if was is None:
            found.append({"what": f"{code} {row['name']}", "before": "Not reported", "after": row["actual_text"]})
        elif was["actual"] != row["actual"] or was["rag"] != row["rag"]:
            found.append(
                {
                    "what": f"{code} {row['name']}",
                    "before": f"{was['actual_text']} ({was['rag'].capitalize()})",
                    "after": f"{row['actual_text']} ({row['rag'].capitalize()})",
                }
            )
    for label, path in (
        ("SLA compliance", ("slas", "rate_text")),
        ("Savings forecast for the year", ("savings", "total", "forecast", "text")),
        ("Savings run-rate achieved to date", ("savings", "run_rate", "text")),
        ("Enquiries answered in time", ("enquiries", "in_time_text")),
        ("Data completeness", ("completeness", "percent_text")),
    ):
        a, b = _dig(before, path), _dig(after, path)
        if a != b:
            found.append({"what": label, "before": a or "–", "after": b or "–"})
    return found


def _dig(data: dict, path: tuple) -> str | None:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def latest_published(*, user, partner: Partner | None, with_snapshot: bool = True) -> PublishedReport | None:
    """The latest published report of a scope the user may read (None for oneSource if they may not)."""
    rows = (
        PublishedReport.objects.visible_to(user)
        .latest_versions()
        .filter(_scope_q("report__", partner))
        .select_related("report__partner")
        .defer(*WORKING_COPY)
        .order_by("-report__period")
    )
    return (rows if with_snapshot else rows.defer("snapshot")).first()


def partner_comparison(*, user, period: dt.date) -> list[dict]:
    """Every partner's headline figures for a month, from their published reports (one query).

    Only the small ``headline`` is read, not the snapshots, whatever the number of partners.
    """
    rows = (
        PublishedReport.objects.visible_to(user)
        .latest_versions()
        .filter(report__period=period, report__partner__isnull=False)
        .select_related("report__partner")
        .only("headline", "version", "is_latest", "report__period", "report__partner__name", "report__partner__slug")
        .order_by("report__partner__name")
    )
    return [{"partner": r.report.partner, "url": r.get_absolute_url(), **r.headline} for r in rows]


def pack_list(*, user):
    return CommitteePack.objects.visible_to(user)


def month_reports(*, user, period: dt.date):
    """The month's reports the user may see, oneSource's first, with how far each has got."""
    return (
        MonthlyReport.objects.visible_to(user)
        .filter(period=period)
        .select_related("partner")
        .order_by(F("partner__name").asc(nulls_first=True))
    )
