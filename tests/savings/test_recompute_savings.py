"""The savings figures of every report, recomputed by a plain oracle from the raw rows.

Hypothesis builds random saving lines (partner shares, year targets with delivery months, recurring or
one-off), directors' updates and re-phasings, and a month to report. The oracle below reads the rows
as they are stored and adds them up with loops, calling nothing of the project's: the rules are
those of FIGURES.md "Savings". The published report's snapshot, the dashboards, the committee pack's
workbook and the API must all equal it to the penny, for oneSource and for each partner.

Examples are derandomized (the same every run); ``RECOMPUTE_EXAMPLES=200`` runs that many random ones.
"""

import datetime as dt
import io
import os
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from apps.reports import pack
from apps.reports import services as reports
from apps.reports.models import MonthlyReport
from apps.savings import services
from apps.savings.models import PartnerShare, Programme, Rephasing, SavingLine, SavingsUpdate, Status, YearTarget
from tests.factories import PartnerFactory, SubscriptionFactory, UserFactory
from tests.savings.factories import ProgrammeFactory

EXAMPLES = int(os.environ.get("RECOMPUTE_EXAMPLES", "0"))
PENNY = Decimal("0.01")
PARTNERS = ("havering", "newham", "bexley")
FIRST_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)  # a financial year's months in order

pence = st.integers(min_value=0, max_value=5_000_000_00).map(lambda p: Decimal(p) / 100)
line_data = st.fixed_dictionaries(
    {
        "partners": st.lists(st.sampled_from(PARTNERS), min_size=1, max_size=3, unique=True),
        "weights": st.lists(st.integers(min_value=1, max_value=9_999), min_size=3, max_size=3),
        "programme": st.sampled_from(["a", "b"]),
        "recurring": st.booleans(),
        "targets": st.dictionaries(
            st.integers(min_value=2014, max_value=2020),
            st.tuples(pence, st.one_of(st.none(), st.integers(min_value=1, max_value=12))),
            min_size=1,
            max_size=4,
        ),
        "updates": st.lists(
            st.tuples(st.integers(min_value=0, max_value=3), pence, pence, st.sampled_from(Status.values)),
            max_size=3,
        ),
        "rephase": st.one_of(
            st.none(),
            st.tuples(
                st.integers(min_value=0, max_value=3),
                st.integers(min_value=1, max_value=3),
                st.integers(min_value=1, max_value=100),
            ),
        ),
    }
)
months = st.integers(min_value=2014 * 12 + 3, max_value=2021 * 12 + 1).map(lambda n: dt.date(n // 12, n % 12 + 1, 1))


# The oracle: plain loops over the stored rows ---------------------------------------------------------


def split(amount: Decimal, shares: dict[int, Decimal]) -> dict[int, Decimal]:
    """Pence split by percentages: each part rounded down, the pence left over to the largest remainders
    (ties to the lower partner id as text)."""
    total_pence = int(amount * 100)
    parts, remainders = {}, []
    for partner_id, percentage in shares.items():
        exact = Decimal(total_pence) * percentage / 100
        parts[partner_id] = int(exact)
        remainders.append((exact - int(exact), partner_id))
    left = total_pence - sum(parts.values())
    remainders.sort(key=lambda item: (-item[0], str(item[1])))
    for _, partner_id in remainders[:left]:
        parts[partner_id] += 1
    return {partner_id: Decimal(p) / 100 for partner_id, p in parts.items()}


def cash_through(amount: Decimal, year: int, month, recurring: bool, last_year: int) -> Decimal:
    """Cash saved by a year's achieved saving from its year to the end of ``last_year``."""
    cash = Decimal(0)
    for in_year in range(year, last_year + 1):
        if not recurring:
            cash += amount if in_year == year else 0
        elif in_year == year:
            months_counted = 12 - FIRST_MONTHS.index(month or 4)
            cash += (amount * months_counted / 12).quantize(PENNY, rounding=ROUND_HALF_UP)
        else:
            cash += amount
    return cash


def oracle(period: dt.date) -> dict:
    """Every report's savings figures, by scope (None for oneSource, else a partner id)."""
    year = period.year if period.month >= 4 else period.year - 1
    lines = {row["pk"]: row for row in SavingLine.objects.values("pk", "programme_id", "recurrence")}
    totals = dict(Programme.objects.values_list("pk", "total"))
    shares = defaultdict(dict)
    for row in PartnerShare.objects.values("line_id", "partner_id", "percentage"):
        shares[row["line_id"]][row["partner_id"]] = row["percentage"]
    latest = {}
    for row in SavingsUpdate.objects.values("line_id", "financial_year", "line_version", "forecast", "achieved"):
        key = (row["line_id"], row["financial_year"])
        if key not in latest or row["line_version"] > latest[key]["line_version"]:
            latest[key] = row
    slipped = defaultdict(Decimal)
    for row in Rephasing.objects.values("line_id", "from_year", "amount"):
        slipped[(row["line_id"], row["from_year"])] += row["amount"]

    scopes = {None: None, **{pid: pid for line_shares in shares.values() for pid in line_shares}}
    result = {}
    for scope in scopes:
        figures = defaultdict(Decimal)
        by_programme = defaultdict(lambda: defaultdict(Decimal))
        programmes = set()
        for target in YearTarget.objects.values("line_id", "financial_year", "amount", "delivery_month"):
            line = lines[target["line_id"]]
            line_shares = shares[target["line_id"]]
            if scope is not None and scope not in line_shares:
                continue
            programmes.add(line["programme_id"])
            update = latest.get((target["line_id"], target["financial_year"]))
            recurring = line["recurrence"] == SavingLine.Recurrence.RECURRING
            achieved = update["achieved"] if update else Decimal(0)
            row = {
                "target": target["amount"],
                "forecast": update["forecast"] if update else target["amount"],
                "achieved": achieved,
                "slipped": slipped[(target["line_id"], target["financial_year"])],
                "run_rate": achieved if recurring and target["financial_year"] <= year else Decimal(0),
                "cash": cash_through(achieved, target["financial_year"], target["delivery_month"], recurring, year - 1),
                "planned": target["amount"] if recurring else Decimal(0),
            }
            if scope is not None:
                row = {name: split(amount, line_shares)[scope] for name, amount in row.items()}
            figures["run_rate"] += row["run_rate"]
            figures["cash"] += row["cash"]
            figures["planned"] += row["planned"]
            if target["financial_year"] == year:
                for name in ("target", "forecast", "achieved", "slipped"):
                    figures[name] += row[name]
                    by_programme[line["programme_id"]][name] += row[name]
        figures["commitment"] = (
            sum((totals[p] for p in programmes), Decimal(0)) if scope is None else figures["planned"]
        )
        result[scope] = {"figures": dict(figures), "by_programme": by_programme, "reported": bool(programmes)}
    return result


# The test ---------------------------------------------------------------------------------------------


def money_text(value: str) -> Decimal:
    return Decimal(value.replace("£", "").replace(",", ""))


def figure(html: str, name: str) -> Decimal:
    return money_text(re.search(rf'data-figure="{name}">([^<]*)<', html).group(1))


def cell(value) -> Decimal:
    """Excel keeps numbers as binary floats: to the penny they are the snapshot's figures."""
    return Decimal(str(value)).quantize(PENNY)


def snapshot_money(entry) -> Decimal:
    return Decimal(entry["value"]).quantize(PENNY)


def build(world, partners, programmes, rows):
    admin = world["users"]["admin"]
    areas = list(world["areas"].values())
    for n, row in enumerate(rows):
        chosen = [partners[slug] for slug in row["partners"]]
        weights = row["weights"][: len(chosen)]
        percentages = [(Decimal(w) * 100 / sum(weights)).quantize(PENNY, rounding="ROUND_DOWN") for w in weights]
        percentages[0] += Decimal(100) - sum(percentages)
        years = sorted(row["targets"])
        line = services.saving_line_create(
            user=admin,
            programme=programmes[row["programme"]],
            area=areas[n % len(areas)],
            reference=f"RC-{n}",
            title=f"Line {n}",
            category=SavingLine.Category.RESTRUCTURE,
            shares=dict(zip(chosen, percentages, strict=True)),
            targets={y: amount for y, (amount, _) in row["targets"].items()},
            delivery_months={y: month for y, (_, month) in row["targets"].items() if month},
            recurrence=SavingLine.Recurrence.RECURRING if row["recurring"] else SavingLine.Recurrence.ONE_OFF,
        )
        for index, forecast, achieved, status in row["updates"]:
            services.savings_update_record(
                user=admin,
                line=line,
                expected_version=line.version,
                financial_year=years[index % len(years)],
                forecast=forecast,
                achieved=achieved,
                status=status,
                commentary="Explained.",
            )
        if row["rephase"]:
            index, later, percent = row["rephase"]
            source = years[index % len(years)]
            amount = (row["targets"][source][0] * percent / 100).quantize(PENNY, rounding="ROUND_DOWN")
            if amount > 0:
                services.target_rephase(
                    user=admin,
                    line=line,
                    expected_version=line.version,
                    from_year=source,
                    to_year=source + later,
                    amount=amount,
                    reason="Moved later.",
                )


@pytest.mark.django_db
@settings(
    max_examples=EXAMPLES or 6,
    derandomize=not EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(rows=st.lists(line_data, min_size=1, max_size=5), period=months)
def test_every_savings_figure_of_every_report_equals_the_oracle(world, client_for, api_for, rows, period):
    admin = world["users"]["admin"]
    with transaction.atomic():
        bexley = PartnerFactory(name="London Borough of Bexley", short_name="Bexley", slug="bexley")
        officer_bexley = UserFactory(username="officer.bexley", role="partner_officer", partner=bexley)
        SubscriptionFactory(partner=bexley, service=world["services"]["payroll"])
        partners = {"havering": world["havering"], "newham": world["newham"], "bexley": bexley}
        programmes = {
            slug: ProgrammeFactory(slug=slug, name=f"Programme {slug}", total=Decimal("1000000.00") * (n + 1))
            for n, slug in enumerate(["a", "b"])
        }
        build(world, partners, programmes, rows)
        expected = oracle(period)
        for report_id in reports.reports_request(period=period):
            reports.report_generate(report_id=report_id)
        published = {
            r.partner_id: reports.report_publish(user=admin, report=r)
            for r in MonthlyReport.objects.filter(period=period).select_related("partner")
        }
        names = {p.pk: p.name for p in partners.values()}
        book = load_workbook(io.BytesIO(pack.pack_workbook(pack.pack_content(period))))
        summary = dict(book["Summary"].iter_rows(min_row=2, values_only=True))
        header, *partner_rows = book["Partners"].iter_rows(values_only=True)
        pack_partners = {row[0]: dict(zip(header, row, strict=True)) for row in partner_rows}

        for scope, version in published.items():
            savings = version.snapshot["savings"]
            want = expected.get(scope) or {"figures": defaultdict(Decimal), "by_programme": {}}
            got = want["figures"]
            total = {name: snapshot_money(savings["total"][name]) for name in ("target", "forecast", "achieved")}
            assert total == {name: got.get(name, Decimal(0)) for name in total}, (scope, period)
            assert snapshot_money(savings["run_rate"]) == got.get("run_rate", Decimal(0))
            assert snapshot_money(savings["commitment"]) == got.get("commitment", Decimal(0))
            cash = snapshot_money(savings["cash"]) if savings["cash"] else Decimal(0)
            assert cash == got.get("cash", Decimal(0))
            assert snapshot_money(savings["slippage"]) == got.get("slipped", Decimal(0))
            programme_names = {p.pk: p.name for p in programmes.values()}
            assert {row["name"]: snapshot_money(row["target"]) for row in savings["by_programme"]} == {
                programme_names[pid]: values["target"] for pid, values in want["by_programme"].items()
            }
            # The API gives the same snapshot and headline.
            api = api_for("admin").get(f"/api/v1/reports/{version.pk}/").json()
            assert api["snapshot"]["savings"] == savings
            assert money_text(api["headline"]["savings_forecast"]["text"]) == got.get("forecast", Decimal(0))
            if scope is None:
                assert cell(summary["Savings target for the year (£)"]) == got.get("target", Decimal(0))
                assert cell(summary["Savings forecast for the year (£)"]) == got.get("forecast", Decimal(0))
                assert cell(summary["Savings achieved in the year (£)"]) == got.get("achieved", Decimal(0))
                assert cell(summary["Savings run-rate achieved to date (£ a year)"]) == got.get("run_rate", 0)
                continue
            row = pack_partners[names[scope]]
            assert cell(row["Savings share target (£)"]) == got.get("target", Decimal(0))
            assert cell(row["Savings share forecast (£)"]) == got.get("forecast", Decimal(0))
            assert cell(row["Savings share achieved (£)"]) == got.get("achieved", Decimal(0))
            assert cell(row["Savings share run-rate (£ a year)"]) == got.get("run_rate", Decimal(0))

        # The dashboards: each partner officer's panel, and the committee's oneSource headline.
        officers = {world["havering"].pk: "officer.havering", world["newham"].pk: "officer.newham"}
        for scope, username in officers.items():
            got = (expected.get(scope) or {"figures": {}})["figures"]
            html = client_for(username).get("/").content.decode()
            assert figure(html, "savings-forecast") == got.get("forecast", Decimal(0))
            assert figure(html, "savings-target") == got.get("target", Decimal(0))
            assert figure(html, "savings-achieved") == got.get("achieved", Decimal(0))
            assert figure(html, "savings-run-rate") == got.get("run_rate", Decimal(0))
        client = client_for("admin")
        client.force_login(officer_bexley)
        html = client.get("/").content.decode()
        got = (expected.get(bexley.pk) or {"figures": {}})["figures"]
        assert figure(html, "savings-run-rate") == got.get("run_rate", Decimal(0))
        html = client_for("committee").get("/").content.decode()
        assert figure(html, "savings-forecast") == expected[None]["figures"].get("forecast", Decimal(0))
        assert figure(html, "savings-run-rate") == expected[None]["figures"].get("run_rate", Decimal(0))
        transaction.set_rollback(True)
