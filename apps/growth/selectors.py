"""Reads of the pipeline and traded income, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.db.models.functions import Coalesce

from apps.core.periods import FinancialYear, add_months, fy_label
from apps.core.policy import role_of
from apps.core.roles import Role

from .models import OnboardingTask, Opportunity, TradedIncome, TradedIncomeActual
from .services import weighted_value

ZERO = Decimal("0.00")


def opportunity_list(*, user):
    return (
        Opportunity.objects.visible_to(user)
        .select_related("partner", "owner", "agreement")
        .prefetch_related("services")
        .order_by("expected_start", "title")
    )


def opportunity_detail(*, user, pk: int) -> Opportunity:
    """Raises Opportunity.DoesNotExist when the user may not see it."""
    return (
        opportunity_list(user=user)
        .prefetch_related(Prefetch("tasks", queryset=OnboardingTask.objects.select_related("done_by")))
        .get(pk=pk)
    )


@dataclass
class PipelineRow:
    label: str
    count: int = 0
    value: Decimal = ZERO
    weighted: Decimal = ZERO


@dataclass
class Pipeline:
    stages: list[PipelineRow] = field(default_factory=list)
    years: list[PipelineRow] = field(default_factory=list)
    total: PipelineRow = field(default_factory=lambda: PipelineRow("All opportunities"))


def pipeline(opportunities) -> Pipeline:
    """The weighted value of the pipeline per stage and per financial year of the expected start;
    one query, whatever the number of opportunities. Lost opportunities count for nothing."""
    stages = {value: PipelineRow(label) for value, label in Opportunity.Stage.choices}
    years: dict[int, PipelineRow] = {}
    total = PipelineRow("All opportunities")
    for row in opportunities.order_by().values("stage", "expected_annual_value", "probability", "expected_start"):
        weighted = weighted_value(
            value=row["expected_annual_value"], probability=row["probability"], stage=row["stage"]
        )
        year = FinancialYear.of(row["expected_start"]).start_year
        targets = [stages[row["stage"]], years.setdefault(year, PipelineRow(fy_label(year))), total]
        for target in targets:
            target.count += 1
            target.value += row["expected_annual_value"]
            target.weighted += weighted
    return Pipeline(stages=list(stages.values()), years=[years[y] for y in sorted(years)], total=total)


@dataclass
class IncomeRow:
    line: TradedIncome
    budget: Decimal
    actual: Decimal

    @property
    def variance(self) -> Decimal:
        """Income received less the budget: below zero is a shortfall."""
        return self.actual - self.budget


@dataclass
class IncomeTable:
    year: int
    rows: list[IncomeRow]
    budget: Decimal
    actual: Decimal

    @property
    def year_label(self) -> str:
        return fy_label(self.year)

    @property
    def variance(self) -> Decimal:
        return self.actual - self.budget


def with_actuals(lines):
    """``actual``: the income received to date on each line."""
    return lines.annotate(actual=Coalesce(Sum("actuals__amount"), ZERO))


def traded_income(*, user, year: int, lines=None) -> IncomeTable:
    """Budget, actual to date and variance of each customer and service in a year; one query."""
    lines = TradedIncome.objects.visible_to(user) if lines is None else lines
    rows = [
        IncomeRow(line=line, budget=line.budget, actual=line.actual)
        for line in with_actuals(lines.filter(financial_year=year))
        .select_related("partner", "service", "service__area")
        .order_by("partner__name", "service__name")
    ]
    return IncomeTable(
        year=year,
        rows=rows,
        budget=sum((r.budget for r in rows), ZERO),
        actual=sum((r.actual for r in rows), ZERO),
    )


def income_months(line: TradedIncome) -> list[dict]:
    """The twelve months of a line's year with the income recorded in each (one query)."""
    start = FinancialYear(line.financial_year).starts_on
    recorded = {a.period: a for a in TradedIncomeActual.objects.filter(line=line).select_related("recorded_by")}
    months = [add_months(start, n) for n in range(12)]
    return [{"period": m, "actual": recorded.get(m)} for m in months]


def monthly_totals(*, user, year: int) -> list[dict]:
    """Income received across the visible lines of a year, month by month (one query)."""
    start = FinancialYear(year).starts_on
    sums = defaultdict(lambda: ZERO)
    for row in (
        TradedIncomeActual.objects.visible_to(user)
        .filter(line__financial_year=year)
        .values("period")
        .annotate(total=Sum("amount"))
    ):
        sums[row["period"]] = row["total"]
    return [{"period": add_months(start, n), "total": sums[add_months(start, n)]} for n in range(12)]


def may_see_pipeline(user) -> bool:
    return role_of(user) not in (None, Role.PARTNER_OFFICER)


#: The plan's objective that traded income and the pipeline report against (the heading of the section).
GROWTH_OBJECTIVE = "Growing our business"


def plan_section(user, plan):
    """Below the delivery plan: traded income of the plan's year (what the user may see) and, for
    oneSource's staff and the committee, the weighted pipeline by stage."""
    table = traded_income(user=user, year=plan.financial_year)
    summary = pipeline(Opportunity.objects.visible_to(user)) if may_see_pipeline(user) else None
    if not table.rows and summary is None:
        return None
    return {"objective": GROWTH_OBJECTIVE, "table": table, "pipeline": summary}


def report_section(*, period, partner=None) -> dict:
    """Traded income for the oneSource report: each customer's budget for the year of ``period``
    and the income received from April to ``period``; oneSource's report only."""
    if partner is not None:
        return {"shown": False}
    year = FinancialYear.of(period).start_year
    lines = (
        TradedIncome.objects.filter(financial_year=year)
        .select_related("partner", "service")
        .annotate(actual=Coalesce(Sum("actuals__amount", filter=Q(actuals__period__lte=period)), ZERO))
        .order_by("partner__name", "service__name")
    )
    rows = [
        {
            "customer": line.partner.short_name,
            "service": line.service.name,
            "budget": f"{line.budget:.2f}",
            "actual": f"{line.actual:.2f}",
            "variance": f"{line.actual - line.budget:.2f}",
        }
        for line in lines
    ]
    budget = sum((Decimal(r["budget"]) for r in rows), ZERO)
    actual = sum((Decimal(r["actual"]) for r in rows), ZERO)
    return {
        "shown": True,
        "year": fy_label(year),
        "rows": rows,
        "budget": f"{budget:.2f}",
        "actual": f"{actual:.2f}",
        "variance": f"{actual - budget:.2f}",
    }
