"""An independent recompute of the reports' KPI and enquiry figures.

Hypothesis builds a small random world: partners, subscriptions that start and end mid-month, KPIs of
every rule (rate, cumulative rate, sum, mean, latest balance) and polarity, targets for each partner,
for every partner and for oneSource as a whole, approved figures with gaps (and drafts that must not
count), and enquiries whose clocks stop while awaiting the customer. The oracle below works out each
figure of the month's reports from those raw rows with plain loops, without the project's selectors,
from FIGURES.md; the report snapshots, the committee pack's workbook, the API and the dashboard panels
must all say the same, money to the penny and rates to the precision shown.

Examples are few and fixed (derandomized) so that the run is quick and the same each time; set
``RECOMPUTE_EXAMPLES`` for more.
"""

import datetime as dt
import io
import os
import re
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import holidays
import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from apps.core.roles import Role
from apps.customers import services as enquiries
from apps.customers.models import Enquiry
from apps.kpis.models import KPI, Measurement, Target
from apps.reports import dashboards, pack
from tests.factories import (
    PartnerFactory,
    ServiceAreaFactory,
    ServiceFactory,
    SubscriptionFactory,
    UserFactory,
    sign_in,
)
from tests.kpis.factories import KPIFactory

from .helpers import publish_all

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("RECOMPUTE_EXAMPLES", "5"))
PERIOD = dt.date(2016, 10, 1)
MONTHS = [dt.date(2015 + (9 + n) // 12, (9 + n) % 12 + 1, 1) for n in range(13)]  # October 2015 to October 2016
YEAR_MONTHS = [m for m in MONTHS if m >= dt.date(2016, 4, 1)]
LONDON = ZoneInfo("Europe/London")
BANK_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG", years=[2016])
OFFICE_DAY = 8 * 60 * 60


class Rollback(Exception):
    """Leaves each example's world behind."""


# The oracle: plain loops over the raw rows ----------------------------------------------------------


def last_day(month):
    return (dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)) - dt.timedelta(days=1)


def fy(month):
    return month.year if month.month >= 4 else month.year - 1


def half_up(value, places):
    return None if value is None else Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass
class Spec:
    """The raw rows of one example, as plain Python."""

    partners: list = field(default_factory=list)  # ids
    names: dict = field(default_factory=dict)
    subscriptions: list = field(default_factory=list)  # (partner, service, area, starts, ends)
    kpis: list = field(default_factory=list)  # dicts
    targets: dict = field(default_factory=dict)  # (kpi, year, partner or None or "all") -> (value, tolerance)
    figures: dict = field(default_factory=dict)  # (kpi, partner, month) -> (n, d) or value, approved only
    enquiries: list = field(default_factory=list)  # (partner, opened, [(paused, resumed)], resolved)


class Oracle:
    def __init__(self, spec: Spec):
        self.s = spec

    def takes(self, kpi, partner, month):
        for p, service, area, starts, ends in self.s.subscriptions:
            if p != partner or not (starts <= last_day(month) and (ends is None or ends >= month)):
                continue
            if (kpi["service"] == service) if kpi["service"] else (kpi["area"] == area):
                return True
        return False

    def members(self, kpi, month, scope):
        return [p for p in self.s.partners if (scope is None or p == scope) and self.takes(kpi, p, month)]

    def result(self, kpi, raw):
        if kpi["is_rate"]:
            return raw[0] * 100 / raw[1]
        return raw

    def rows(self, kpi, months, scope):
        found = []
        for month in months:
            for p in self.s.partners:
                if (scope is None or p == scope) and (kpi["code"], p, month) in self.s.figures:
                    found.append((p, month, self.s.figures[(kpi["code"], p, month)]))
        return found

    def figure(self, kpi, rows):
        if not rows:
            return None
        if kpi["is_rate"]:
            return sum(r[2][0] for r in rows) * 100 / sum(r[2][1] for r in rows)
        total = sum(r[2] for r in rows)
        return total / len(rows) if kpi["aggregation"] == "mean" else total

    def partner_target(self, kpi, partner, month):
        year = fy(month)
        return self.s.targets.get((kpi["code"], year, partner)) or self.s.targets.get((kpi["code"], year, "all"))

    def combine(self, kpi, pairs):
        if not pairs or any(t is None for t, _ in pairs):
            return None
        value = sum(t[0] * w for t, w in pairs)
        tolerance = sum(t[1] * w for t, w in pairs)
        if kpi["is_rate"] or kpi["aggregation"] == "mean":
            weights = sum(w for _, w in pairs)
            value, tolerance = value / weights, tolerance / weights
        return (value, tolerance)

    def level_pairs(self, kpi, months):
        rows = self.rows(kpi, months, None)
        if rows:
            return [(self.partner_target(kpi, p, m), raw[1] if kpi["is_rate"] else 1) for p, m, raw in rows]
        return [(self.partner_target(kpi, p, m), 1) for m in months for p in self.members(kpi, m, None)]

    def target(self, kpi, month, scope):
        if scope is not None:
            return self.partner_target(kpi, scope, month)
        own = self.s.targets.get((kpi["code"], fy(month), None))
        if own is not None:
            return own
        if kpi["is_rate"] or kpi["aggregation"] == "mean":
            return self.combine(kpi, self.level_pairs(kpi, [month]))
        return self.combine(kpi, [(self.partner_target(kpi, p, month), 1) for p in self.members(kpi, month, None)])

    def ytd(self, kpi, scope):
        rows = self.rows(kpi, YEAR_MONTHS, scope)
        if kpi["aggregation"] == "latest" and rows:
            latest = max(m for _, m, _ in rows)
            rows = [r for r in rows if r[1] == latest]
        return rows

    def ytd_target(self, kpi, scope, rows):
        if kpi["aggregation"] == "latest":
            return self.target(kpi, rows[0][1] if rows else PERIOD, scope)
        if kpi["is_rate"] or kpi["aggregation"] == "mean":
            level = self.target(kpi, PERIOD, scope)
            if scope is not None or self.s.targets.get((kpi["code"], fy(PERIOD), None)):
                return level
            return self.combine(kpi, self.level_pairs(kpi, YEAR_MONTHS)) or level
        monthly = [self.target(kpi, m, scope) for m in YEAR_MONTHS if self.members(kpi, m, scope)]
        if not monthly or any(t is None for t in monthly):
            return None
        return (sum(t[0] for t in monthly), sum(t[1] for t in monthly))

    @staticmethod
    def rag(kpi, figure, target):
        if figure is None or target is None:
            return "grey"
        shown, aim = half_up(figure, kpi["places"]), half_up(target[0], kpi["places"])
        shortfall = aim - shown if kpi["higher"] else shown - aim
        if shortfall <= 0:
            return "green"
        return "amber" if shortfall <= target[1] else "red"

    @staticmethod
    def direction(kpi, now, before):
        if now is None or before is None:
            return "none"
        now, before = half_up(now, kpi["places"]), half_up(before, kpi["places"])
        if now == before:
            return "same"
        return "better" if (now > before) == kpi["higher"] else "worse"

    @staticmethod
    def text(kpi, value):
        if value is None:
            return "–"
        number = f"{half_up(value, kpi['places']):,.{kpi['places']}f}"
        return {"percent": f"{number}%", "gbp": f"£{number}", "days": f"{number} days"}.get(kpi["unit"], number)

    def scope_kpis(self, scope):
        if scope is None:
            return self.s.kpis
        return [k for k in self.s.kpis if self.takes(k, scope, PERIOD)]

    def kpi_rows(self, scope):
        rows = {}
        for kpi in self.scope_kpis(scope):
            figures = [self.figure(kpi, self.rows(kpi, [m], scope)) for m in MONTHS]
            target = self.target(kpi, PERIOD, scope)
            ytd_rows = self.ytd(kpi, scope)
            ytd, ytd_target = self.figure(kpi, ytd_rows), self.ytd_target(kpi, scope, ytd_rows)
            rows[kpi["code"]] = {
                "actual": figures[-1],
                "actual_text": self.text(kpi, figures[-1]),
                "target": target and target[0],
                "target_text": self.text(kpi, target[0]) if target else "No target",
                "rag": self.rag(kpi, figures[-1], target),
                "last_month": figures[-2],
                "same_month_last_year": figures[0],
                "direction_month": self.direction(kpi, figures[-1], figures[-2]),
                "direction_year": self.direction(kpi, figures[-1], figures[0]),
                "ytd": ytd,
                "ytd_text": self.text(kpi, ytd),
                "ytd_target": ytd_target and ytd_target[0],
                "ytd_target_text": self.text(kpi, ytd_target[0]) if ytd_target else "No target",
                "ytd_rag": self.rag(kpi, ytd, ytd_target),
                "trend_rag": [
                    self.rag(kpi, f, self.target(kpi, m, scope)) for f, m in zip(figures, MONTHS, strict=True)
                ],
            }
        return rows

    @staticmethod
    def office_seconds(start, end):
        total, day = 0, start.astimezone(LONDON).date()
        while day <= end.astimezone(LONDON).date():
            if day.weekday() < 5 and day not in BANK_HOLIDAYS:
                opens = dt.datetime.combine(day, dt.time(9), tzinfo=LONDON)
                closes = dt.datetime.combine(day, dt.time(17), tzinfo=LONDON)
                total += max(0, int((min(end, closes) - max(start, opens)).total_seconds()))
            day += dt.timedelta(days=1)
        return total

    def median_days(self, scope):
        starts = dt.datetime.combine(PERIOD, dt.time.min, tzinfo=LONDON)
        ends = dt.datetime.combine(dt.date(2016, 11, 1), dt.time.min, tzinfo=LONDON)
        days = []
        for partner, opened, pauses, resolved in self.s.enquiries:
            if (scope is None or partner == scope) and resolved is not None and starts <= resolved < ends:
                seconds = self.office_seconds(opened, resolved)
                seconds -= sum(self.office_seconds(paused, resumed) for paused, resumed in pauses)
                days.append(Decimal(seconds) / OFFICE_DAY)
        return statistics.median(days) if days else None


# The world of one example -----------------------------------------------------------------------------

DATES = [
    dt.date(2014, 4, 1),
    dt.date(2015, 11, 15),
    dt.date(2016, 5, 20),
    dt.date(2016, 9, 30),
    dt.date(2016, 10, 15),
    dt.date(2016, 10, 31),
]
RULES = [  # unit, is_rate, aggregation
    ("percent", True, "sum"),
    ("percent", True, "latest"),
    ("gbp", False, "sum"),
    ("days", False, "mean"),
    ("count", False, "latest"),
]


def build(data, spec: Spec):
    area = ServiceAreaFactory(code="RC", name="Recompute services")
    desk_area = ServiceAreaFactory(code="RD", name="Recompute desk")
    services = [ServiceFactory(area=area, name=f"Service {n}", slug=f"recompute-{n}") for n in range(2)]
    desk = ServiceFactory(area=desk_area, name="Desk", slug="recompute-desk")
    partners = []
    for n in range(data.draw(st.integers(2, 4), label="partners")):
        partner = PartnerFactory(name=f"Council {n}", short_name=f"C{n}", slug=f"council-{n}")
        partners.append(partner)
        spec.partners.append(partner.pk)
        spec.names[partner.pk] = partner.name
        SubscriptionFactory(partner=partner, service=desk, starts_on=DATES[0])
        for service in services:
            if not data.draw(st.booleans(), label="takes"):
                continue
            starts = data.draw(st.sampled_from(DATES), label="starts")
            ends = data.draw(st.sampled_from([None, *[d for d in DATES if d >= starts]]), label="ends")
            SubscriptionFactory(partner=partner, service=service, starts_on=starts, ends_on=ends)
            spec.subscriptions.append((partner.pk, service.pk, area.pk, starts, ends))

    for index, (unit, is_rate, aggregation) in enumerate(RULES):
        higher = data.draw(st.booleans(), label="higher")
        places = data.draw(st.integers(0, 2), label="places")
        service = data.draw(st.sampled_from([None, *services]), label="service")
        code = f"RC-{index}"
        kpi = KPIFactory(
            code=code, area=area, service=service, unit=unit, is_rate=is_rate, aggregation=aggregation,
            polarity=KPI.Polarity.HIGHER if higher else KPI.Polarity.LOWER, decimal_places=places,
            numerator_label="Done" if is_rate else "", denominator_label="All" if is_rate else "",
        )  # fmt: skip
        spec.kpis.append(
            {
                "code": code, "pk": kpi.pk, "service": service and service.pk, "area": area.pk, "unit": unit,
                "is_rate": is_rate, "aggregation": aggregation, "higher": higher, "places": places,
            }
        )  # fmt: skip
        scale = 100 if is_rate else data.draw(st.sampled_from([10, 1000, 100_000]), label="scale")
        for year in (2015, 2016):
            whom = [None, "all", *spec.partners]
            for partner in whom:
                if not data.draw(st.integers(0, 2), label="has target"):
                    continue
                value = Decimal(data.draw(st.integers(0, scale * 100), label="target")) / 100
                tolerance = Decimal(data.draw(st.sampled_from([0, 1, 5, 25]), label="tolerance"))
                Target.objects.create(
                    kpi=kpi,
                    financial_year=year,
                    partner_id=partner if isinstance(partner, int) else None,
                    is_onesource=partner is None,
                    value=value,
                    tolerance=tolerance,
                )
                spec.targets[(code, year, partner)] = (value, tolerance)
        rows = []
        for partner in spec.partners:
            for month in MONTHS:
                if not Oracle(spec).takes(spec.kpis[-1], partner, month) or not data.draw(st.integers(0, 3)):
                    continue  # not measured, or a gap
                status = data.draw(
                    st.sampled_from([Measurement.Status.APPROVED] * 4 + [Measurement.Status.SUBMITTED]), label="status"
                )
                if is_rate:
                    denominator = Decimal(data.draw(st.integers(1, 900), label="denominator"))
                    numerator = Decimal(data.draw(st.integers(0, int(denominator)), label="numerator"))
                    fields, raw = {"numerator": numerator, "denominator": denominator}, (numerator, denominator)
                else:
                    raw = Decimal(data.draw(st.integers(0, scale * 100), label="value")) / 100
                    fields = {"value": raw}
                rows.append(Measurement(kpi=kpi, partner_id=partner, period=month, status=status, **fields))
                if status == Measurement.Status.APPROVED:
                    spec.figures[(code, partner, month)] = raw
        Measurement.objects.bulk_create(rows)

    admin = UserFactory(username="recompute-admin", role=Role.ADMIN)
    for partner in partners:
        officer = UserFactory(username=f"recompute-{partner.slug}", role=Role.PARTNER_OFFICER, partner=partner)
        for _ in range(data.draw(st.integers(0, 2), label="enquiries")):
            day = data.draw(st.integers(-5, 27), label="opened day")
            opened = dt.datetime(2016, 10, 1, 8, tzinfo=LONDON) + dt.timedelta(
                days=day, minutes=data.draw(st.integers(0, 600), label="opened minute")
            )
            enquiry = enquiries.enquiry_raise(user=officer, service=desk, subject="A question", details="?", now=opened)
            at, pauses = opened, []
            for _ in range(data.draw(st.integers(0, 2), label="pauses")):
                paused = at + dt.timedelta(hours=data.draw(st.integers(1, 60), label="until paused"))
                resumed = paused + dt.timedelta(hours=data.draw(st.integers(1, 90), label="paused for"))
                enquiries.enquiry_update(
                    user=admin, enquiry=enquiry, status=Enquiry.Status.AWAITING_CUSTOMER, now=paused
                )
                enquiries.enquiry_update(user=admin, enquiry=enquiry, status=Enquiry.Status.IN_PROGRESS, now=resumed)
                pauses.append((paused, resumed))
                at = resumed
            resolved = None
            if data.draw(st.integers(0, 3), label="resolved"):
                resolved = at + dt.timedelta(hours=data.draw(st.integers(1, 80), label="until resolved"))
                enquiries.enquiry_update(user=admin, enquiry=enquiry, status=Enquiry.Status.RESOLVED, now=resolved)
            spec.enquiries.append((partner.pk, opened, pauses, resolved))
    director = UserFactory(username="recompute-director", role=Role.DIRECTOR, service_areas=[area])
    return admin, director


# The comparison ------------------------------------------------------------------------------------------


def same_number(shown, expected) -> bool:
    if expected is None or shown is None:
        return shown is None and expected is None
    return abs(Decimal(str(shown)) - Decimal(expected)) <= Decimal("0.00005")


def check_rows(rows: list[dict], expected: dict, where: str):
    assert sorted(r["code"] for r in rows) == sorted(expected), where
    for row in rows:
        want = expected[row["code"]]
        for key in ("actual", "target", "last_month", "same_month_last_year", "ytd", "ytd_target"):
            assert same_number(row[key], want[key]), (where, row["code"], key, row[key], want[key])
        for key in (
            "actual_text", "target_text", "rag", "direction_month", "direction_year", "ytd_text",
            "ytd_target_text", "ytd_rag", "trend_rag",
        ):  # fmt: skip
            assert row[key] == want[key], (where, row["code"], key, row[key], want[key])


DIRECTION_WORDS = {"better": "Improving", "worse": "Worsening", "same": "No change", "none": ""}


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_every_report_figure_equals_the_plain_recompute_everywhere_it_is_shown(data, client):
    try:
        with transaction.atomic():
            cache.clear()
            spec = Spec()
            admin, director = build(data, spec)
            oracle = Oracle(spec)
            published = publish_all(PERIOD, admin)
            # Every partner takes the enquiry desk, so every partner has a report of the month.
            reported = {"onesource": None} | {f"council-{n}": pid for n, pid in enumerate(spec.partners)}
            assert set(published) == set(reported)

            expected = {slug: oracle.kpi_rows(pid) for slug, pid in reported.items()}
            sign_in(client, admin)
            for slug, version in published.items():
                snapshot = version.snapshot
                check_rows(snapshot["kpis"]["rows"], expected[slug], f"snapshot {slug}")
                median = oracle.median_days(reported[slug])
                assert same_number(snapshot["enquiries"]["median_days"], median), slug
                assert snapshot["enquiries"]["median_days_text"] == (
                    "–" if median is None else f"{half_up(median, 1)} working days"
                ), slug
                # The API gives the same snapshot.
                api = client.get(f"/api/v1/reports/{version.pk}/").json()["snapshot"]
                check_rows(api["kpis"]["rows"], expected[slug], f"API {slug}")

            # The pack's workbook: one row per scope and KPI.
            book = load_workbook(io.BytesIO(pack.pack_workbook(pack.pack_content(PERIOD))))
            sheet = list(book["KPIs"].iter_rows(values_only=True))
            header = sheet[0]
            names = {"onesource": "oneSource"} | {slug: spec.names[pid] for slug, pid in reported.items() if pid}
            cells = {(row[0], row[1]): dict(zip(header, row, strict=True)) for row in sheet[1:]}
            assert len(cells) == sum(len(rows) for rows in expected.values())
            for slug, rows in expected.items():
                for code, want in rows.items():
                    cell = cells[(names[slug], code)]
                    assert same_number(cell["Actual"], want["actual"]), (slug, code)
                    assert same_number(cell["Target"], want["target"]), (slug, code)
                    assert same_number(cell["Year to date"], want["ytd"]), (slug, code)
                    assert same_number(cell["Year-to-date target"], want["ytd_target"]), (slug, code)
                    assert (cell["RAG"], cell["Year-to-date RAG"]) == (want["rag"], want["ytd_rag"]), (slug, code)
                    assert (cell["Since last month"] or "") == DIRECTION_WORDS[want["direction_month"]], (slug, code)
                    assert (cell["Since a year ago"] or "") == DIRECTION_WORDS[want["direction_year"]], (slug, code)

            # The director's dashboard panel: each KPI of the area, as the oneSource report has it.
            html = dashboards.dashboard_panel(director)["html"]
            for code, want in expected["onesource"].items():
                row = re.search(rf"<tr class=\"govuk-table__row\"><th scope=\"row\"[^>]*>{code} .*?</tr>", html, re.S)
                assert row, code
                text = row.group(0)
                for key in ("actual_text", "target_text", "ytd_text"):
                    assert f">{want[key]}<" in text, (code, key, want[key])
                assert (want["rag"].capitalize() if want["rag"] != "grey" else "No rating") in text, code
                assert DIRECTION_WORDS[want["direction_month"]] in text, code
            counts = {c: sum(1 for r in expected["onesource"].values() if r["rag"] == c) for c in ("green", "red")}
            assert f"{counts['green']} green" in html and f"{counts['red']} red" in html

            # The committee's comparison of partners: each partner's counts, from its own report.
            committee = UserFactory(username="recompute-committee", role=Role.COMMITTEE_MEMBER)
            html = dashboards.dashboard_panel(committee)["html"]
            for slug, pid in reported.items():
                if pid is None:
                    continue
                tally = [sum(1 for r in expected[slug].values() if r["rag"] == c) for c in ("green", "amber", "red")]
                cells_of = re.search(rf">{re.escape(spec.names[pid])}</a></th>((?:<td[^>]*>[^<]*</td>){{3}})", html)
                assert cells_of, slug
                assert re.findall(r">([^<]*)</td>", cells_of.group(1)) == [str(n) for n in tally], slug
            raise Rollback
    except Rollback:
        pass
