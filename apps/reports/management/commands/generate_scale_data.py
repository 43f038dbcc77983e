"""Benchmark volume: hundreds of partners, a hundred KPIs and years of approved monthly figures.

``generate_scale_data --partners 300 --kpis 100 --months 60`` adds 300 partners taking every service,
100 KPIs spread over the service areas with a target for every financial year covered, and an approved
figure for every partner, KPI and month up to last month: 1.8 million measurements. Around them it adds
an agreement in force for each partner with its service standards, saving lines shared between the
partners, and a few hundred enquiries and feedback responses. It runs after ``migrate`` and
``load_seed``, whose service areas and services it uses.

The figures are drawn from a seeded random generator, so the same options give the same data. They sit
around their targets with noise, a partner running a little better or worse than another, so that the
RAG ratings are a mix of green, amber and red; every red figure has its commentary, as the portal requires.

Every generated row can be told from real data: partners ``scale-borough-…``, KPIs ``SCL-…``, users
``scale.…``, the programme ``scale-programme``, and whatever belongs to them. Without ``--replace`` the
command refuses to run while such rows exist; with it, it deletes them, their history included, and
generates again, all in one transaction.

Measurements go in with PostgreSQL's COPY and their history with one INSERT … SELECT; everything else
with bulk inserts and its history. On another database the measurements are bulk inserted instead, which
is slow and meant only for small sizes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import PROTECT, ProtectedError, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apps.accounts.models import User
from apps.catalogue.models import CommissioningRequest, CostShare, Service, ServiceArea, Subscription
from apps.catalogue.selectors import SUBSCRIPTIONS
from apps.core import contributions, generations, periods
from apps.core.periods import FinancialYear, add_months, month_start
from apps.core.rag import Rag
from apps.core.rag import rag as rate
from apps.core.roles import Role
from apps.customers.models import (
    DEFAULT_TARGET_DAYS,
    WARNING_SHARE,
    Enquiry,
    EnquiryMessage,
    Feedback,
    ImprovementAction,
    ResponseTarget,
)
from apps.kpis import published
from apps.kpis.models import KPI, Measurement, Target
from apps.partners.models import Partner
from apps.savings.models import (
    STATUSES_WITHOUT_COMMENTARY,
    PartnerShare,
    Programme,
    Rephasing,
    SavingLine,
    SavingsUpdate,
    Status,
    YearTarget,
)
from apps.slas.models import Agreement, CustomerObligation, ReviewReminder, ServiceSchedule, ServiceStandard

PARTNER_SLUG = "scale-borough-"
KPI_CODE = "SCL-"
USERNAME = "scale."
PROGRAMME_SLUG = "scale-programme"
EMAIL_DOMAIN = "scale.onesource.example"

STANDARDS_PER_AGREEMENT = 10
COPY_CHUNK = 100_000
BATCH = 5_000
CLOSE = 1e-6  # closer than this to a RAG threshold, a figure is rated in Decimal

U, P = KPI.Unit, KPI.Polarity
AGG = KPI.Aggregation


@dataclass(frozen=True)
class Template:
    """A kind of KPI: what it measures and where its targets and volumes lie."""

    name: str
    unit: str
    polarity: str
    aggregation: str
    places: int
    target: tuple[float, float]
    tolerance: tuple[float, float]
    numerator_label: str = ""
    denominator_label: str = ""
    volume: tuple[int, int] = (0, 0)  # a rate's monthly denominator for a partner of average size
    definition: str = ""

    @property
    def is_rate(self) -> bool:
        return bool(self.numerator_label)


TEMPLATES = [
    Template(
        "requests completed within target",
        U.PERCENT,
        P.HIGHER,
        AGG.SUM,
        1,
        (85, 97),
        (2, 5),
        "Requests completed within their target time",
        "Requests completed",
        (40, 600),
        "Requests completed in the month within the target time for their type, as a percentage of all "
        "requests completed in the month.",
    ),
    Template(
        "income collected in the year to date",
        U.PERCENT,
        P.HIGHER,
        AGG.LATEST,
        1,
        (90, 98),
        (1, 3),
        "Income collected in the year to date (£)",
        "Income due in the year to date (£)",
        (50_000, 900_000),
        "Income received in the financial year to date as a percentage of the income due. Cumulative, so the "
        "latest month stands for the year.",
    ),
    Template(
        "average days to complete a case",
        U.DAYS,
        P.LOWER,
        AGG.SUM,
        1,
        (5, 30),
        (1, 5),
        "Total calendar days taken to complete cases",
        "Cases completed",
        (20, 400),
        "Average calendar days from receipt of a case to its completion, over the cases completed in the month.",
    ),
    Template(
        "complaints received",
        U.COUNT,
        P.LOWER,
        AGG.SUM,
        0,
        (3, 15),
        (1, 4),
        definition="Formal complaints about the service received in the month (stage 1 and stage 2).",
    ),
    Template(
        "transactions processed",
        U.COUNT,
        P.HIGHER,
        AGG.SUM,
        0,
        (200, 2_000),
        (20, 150),
        definition="Transactions completed by the service in the month, from its case management system.",
    ),
    Template(
        "working days to close the month",
        U.DAYS,
        P.LOWER,
        AGG.MEAN,
        1,
        (3, 10),
        (1, 2),
        definition="Working days after the month end by which the service's monthly closedown was complete.",
    ),
    Template(
        "debt outstanding over 90 days",
        U.GBP,
        P.LOWER,
        AGG.LATEST,
        0,
        (50_000, 1_500_000),
        (10_000, 150_000),
        definition="Debt outstanding for more than 90 days at the month end. A balance, so the latest month "
        "stands for the year.",
    ),
    Template(
        "customer satisfaction",
        U.PERCENT,
        P.HIGHER,
        AGG.MEAN,
        1,
        (75, 90),
        (3, 8),
        definition="Customers rating the service good or very good in the monthly pulse survey, as a percentage.",
    ),
    Template(
        "transactions needing correction",
        U.PERCENT,
        P.LOWER,
        AGG.SUM,
        2,
        (1, 5),
        (0.5, 2),
        "Transactions corrected after processing",
        "Transactions processed",
        (200, 3_000),
        "Transactions that had to be corrected because of a processing error, as a percentage of all "
        "transactions processed in the month.",
    ),
]

RED_COMMENTARY = [
    "Below target after a system outage; a recovery plan is agreed with the partner.",
    "Two vacancies in the team this month; agency cover starts next month.",
    "A backlog built up during the migration to the new case management system.",
    "Volumes were 30% above forecast after the annual billing run.",
    "Sickness absence in the team; work is being prioritised by risk.",
    "Supplier failed to meet its own deadlines; escalated through contract management.",
]
OTHER_COMMENTARY = [
    "Includes a backlog cleared in the month.",
    "Figure checked against the source system.",
    "Seasonal peak handled within target.",
    "Improvement follows the process review completed last quarter.",
    "Partner's own data provided late; figure confirmed since.",
]
ENQUIRY_SUBJECTS = [
    "Invoice query for {month}",
    "Request for the {month} performance figures",
    "Access to the shared drive for a new starter",
    "Change of contact for the service",
    "Duplicate payment reported by a supplier",
    "Question about the annual charge",
    "Data request for a Freedom of Information response",
    "Delay to the monthly report for {month}",
    "Password reset not received",
    "Clarification of the service standard",
]
FEEDBACK_COMMENTS = [
    "Quick and clear, thank you.",
    "Helpful, but it took several chasers.",
    "The monthly report arrives too late for our finance meeting.",
    "Very responsive team.",
    "We would like more notice of changes.",
    "",
]
SAVING_TOPICS = [
    ("Shared management structure", SavingLine.Category.RESTRUCTURE),
    ("Process redesign and automation", SavingLine.Category.PROCESS_REDESIGN),
    ("Joint procurement of contracts", SavingLine.Category.PROCUREMENT),
    ("Income from traded services", SavingLine.Category.INCOME),
    ("Office space released", SavingLine.Category.QUICK_WIN),
]
SECTORS = [
    (Partner.Kind.PARTNER, Partner.Arrangement.JOINT_COMMITTEE, Partner.Sector.LONDON_BOROUGH, 1),
    (Partner.Kind.PARTNER, Partner.Arrangement.GOODS_AND_SERVICES_ACT, Partner.Sector.COUNTY_COUNCIL, 1),
    (Partner.Kind.CUSTOMER, Partner.Arrangement.GOODS_AND_SERVICES_ACT, Partner.Sector.SCHOOL, 12),
    (Partner.Kind.CUSTOMER, Partner.Arrangement.GOODS_AND_SERVICES_ACT, Partner.Sector.ACADEMY, 5),
    (Partner.Kind.CUSTOMER, Partner.Arrangement.COMMERCIAL, Partner.Sector.ASSOCIATION, 3),
    (Partner.Kind.CUSTOMER, Partner.Arrangement.OWNED_COMPANY, Partner.Sector.OTHER, 1),
    (Partner.Kind.CUSTOMER, Partner.Arrangement.JOINT_VENTURE, Partner.Sector.MUTUAL, 1),
]


def _places(value: float, places: int) -> Decimal:
    return Decimal(f"{value:.{places}f}")


def _counted(counts) -> str:
    """``1,800,000 measurements, 1 programme`` from (model, count) pairs, leaving out the noughts."""
    return ", ".join(
        f"{count:,} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
        for model, count in counts
        if count
    )


class Command(BaseCommand):
    help = (
        "Fill the database with benchmark volume: partners taking every service, KPIs with targets, an "
        "approved figure for every partner, KPI and month up to last month, and agreements, savings, "
        "enquiries and feedback around them. Run after migrate and load_seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partners", type=int, default=300, help="Partners to add (default 300).")
        parser.add_argument("--kpis", type=int, default=100, help="KPIs to add (default 100).")
        parser.add_argument("--months", type=int, default=60, help="Months of figures, to last month (default 60).")
        parser.add_argument("--seed", type=int, default=2014, help="Seed of the random figures (default 2014).")
        parser.add_argument(
            "--replace", action="store_true", help="Delete the scale data generated before, then generate again."
        )
        parser.add_argument(
            "--no-history", action="store_true", help="Leave out the measurements' history rows (faster)."
        )

    def handle(self, *args, **options):
        for name, most in (("partners", 9_999), ("kpis", 9_999), ("months", 600)):
            if not 1 <= options[name] <= most:
                raise CommandError(f"--{name} must be from 1 to {most}.")
        self.rng = random.Random(options["seed"])  # noqa: S311 - reproducible figures, not secrets
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.last_month = add_months(month_start(self.today), -1)
        self.periods = [add_months(self.last_month, -n) for n in range(options["months"] - 1, -1, -1)]
        self.years = list(
            range(FinancialYear.of(self.periods[0]).start_year, FinancialYear.of(self.last_month).start_year + 1)
        )
        self.current_year = FinancialYear.of(self.today).start_year
        self.areas = list(ServiceArea.objects.order_by("display_order", "code"))
        self.services = list(Service.objects.select_related("area").order_by("area__display_order", "slug"))
        if not self.areas or not self.services:
            raise CommandError("There are no service areas or services: run `manage.py load_seed` first.")
        settings = connection.settings_dict
        self.stdout.write(
            f"Generating scale data in {settings['NAME']} ({connection.vendor}): {options['partners']} partners, "
            f"{options['kpis']} KPIs, {options['months']} months from {self.periods[0]:%B %Y} to "
            f"{self.last_month:%B %Y}."
        )
        started = time.perf_counter()
        with transaction.atomic():
            existing = self._existing()
            if existing:
                if not options["replace"]:
                    raise CommandError(
                        f"Scale data is already in this database ({existing}). Run again with --replace to delete "
                        "it and generate it afresh."
                    )
                self._step("Removed the previous scale data", self._remove)
            self._step("Partners and subscriptions", lambda: self._partners(options["partners"]))
            self._step("Users", self._users)
            self._step("KPIs and targets", lambda: self._kpis(options["kpis"]))
            self._step("Measurements", lambda: self._measurements(history=not options["no_history"]))
            self._step("Agreements", self._agreements)
            self._step("Savings", self._savings)
            self._step("Enquiries and feedback", self._customer_contact)
            committing = time.perf_counter()
        # PostgreSQL checks the deferred foreign keys of every new row at the commit, which takes a while.
        self.stdout.write(f"Committed, foreign keys checked ({time.perf_counter() - committing:.1f} s)")
        self._step("Statistics", self._analyse)
        # Written in bulk, which sends no signal: what the shared cache kept of the rows before is worked out again.
        contributions.invalidate()
        generations.start_new(published.GENERATION)
        generations.start_new(SUBSCRIPTIONS)
        self.stdout.write(self.style.SUCCESS(f"Scale data generated in {time.perf_counter() - started:.1f} s."))

    def _step(self, label: str, work) -> None:
        started = time.perf_counter()
        summary = work()
        self.stdout.write(f"{label}: {summary} ({time.perf_counter() - started:.1f} s)")

    # Finding and removing what an earlier run made ----------------------------------------------------

    def _scale_rows(self) -> dict:
        partners = Partner.objects.filter(slug__startswith=PARTNER_SLUG)
        kpis = KPI.objects.filter(code__startswith=KPI_CODE)
        users = User.objects.filter(username__startswith=USERNAME)
        lines = SavingLine.objects.filter(programme__slug=PROGRAMME_SLUG)
        agreements = Agreement.objects.filter(partner__in=partners)
        enquiries = Enquiry.objects.filter(Q(partner__in=partners) | Q(raised_by__in=users))
        feedback = Feedback.objects.filter(
            Q(partner__in=partners) | Q(recorded_by__in=users) | Q(enquiry__in=enquiries)
        )
        return {
            "partners": partners,
            "kpis": kpis,
            "users": users,
            "programme": Programme.objects.filter(slug=PROGRAMME_SLUG),
            # Children first: the database refuses to delete a row something still points at.
            "children": [
                Measurement.objects.filter(Q(partner__in=partners) | Q(kpi__in=kpis)),
                Target.objects.filter(Q(partner__in=partners) | Q(kpi__in=kpis)),
                ImprovementAction.objects.filter(
                    Q(partner__in=partners) | Q(enquiry__in=enquiries) | Q(feedback__in=feedback) | Q(owner__in=users)
                ),
                feedback,
                EnquiryMessage.objects.filter(Q(enquiry__in=enquiries) | Q(author__in=users)),
                enquiries,
                SavingsUpdate.objects.filter(line__in=lines),
                Rephasing.objects.filter(line__in=lines),
                YearTarget.objects.filter(line__in=lines),
                PartnerShare.objects.filter(Q(line__in=lines) | Q(partner__in=partners)),
                lines,
                Programme.objects.filter(slug=PROGRAMME_SLUG),
                ServiceStandard.objects.filter(Q(agreement__in=agreements) | Q(kpi__in=kpis)),
                ServiceSchedule.objects.filter(agreement__in=agreements),
                CustomerObligation.objects.filter(agreement__in=agreements),
                ReviewReminder.objects.filter(agreement__in=agreements),
                agreements,
                CommissioningRequest.objects.filter(partner__in=partners),
                CostShare.objects.filter(partner__in=partners),
                Subscription.objects.filter(partner__in=partners),
            ],
        }

    def _existing(self) -> str:
        rows = self._scale_rows()
        return _counted((rows[name].model, rows[name].count()) for name in ("partners", "kpis", "users", "programme"))

    def _delete(self, queryset) -> int:
        """Delete the rows and every history row of them in two statements, without loading them."""
        model = queryset.model
        quote = connection.ops.quote_name
        ids, params = queryset.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            history = getattr(model, "history", None)
            if history is not None:
                table = quote(history.model._meta.db_table)
                cursor.execute(f"DELETE FROM {table} WHERE {quote(model._meta.pk.column)} IN ({ids})", params)  # noqa: S608
            table = quote(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE {quote(model._meta.pk.column)} IN ({ids})", params)  # noqa: S608
            return cursor.rowcount

    def _delete_with_cascade(self, queryset) -> int:
        """Delete through the ORM (so whatever else points at the rows is handled or named), then their history."""
        model = queryset.model
        ids = list(queryset.values_list("pk", flat=True))
        queryset.delete()
        history = getattr(model, "history", None)
        if history is not None:
            history.filter(**{f"{model._meta.pk.attname}__in": ids}).delete()
        return len(ids)

    def _made_from(self, queryset):
        """Rows of any other model that a foreign key keeps from being deleted with the scale rows: rows made from
        scale data (a monthly report of a scale partner, say), which go with it. People are left to be named."""
        for relation in queryset.model._meta.related_objects:
            if relation.on_delete is PROTECT and not relation.many_to_many and relation.related_model is not User:
                yield relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": queryset})

    def _remove(self) -> str:
        rows = self._scale_rows()
        deleted = [(queryset.model, self._delete(queryset)) for queryset in rows["children"]]
        for root in (rows["kpis"], rows["partners"]):
            deleted += [(found.model, self._delete_with_cascade(found)) for found in self._made_from(root)]
        try:
            deleted += [
                (rows[name].model, self._delete_with_cascade(rows[name])) for name in ("kpis", "users", "partners")
            ]
        except ProtectedError as error:
            raise CommandError(f"The scale data cannot be removed: {error.args[0]}") from None
        return _counted(deleted)

    # Partners, users, KPIs and targets ---------------------------------------------------------------

    def _partners(self, count: int) -> str:
        rng = self.rng
        width = max(3, len(str(count)))
        joined = FinancialYear.of(self.periods[0]).starts_on
        partners = []
        for n in range(1, count + 1):
            kind, arrangement, sector, organisations = SECTORS[0] if n % 3 else rng.choice(SECTORS)
            number = f"{n:0{width}d}"
            partners.append(
                Partner(
                    name=f"Scale Borough {number}",
                    short_name=f"Scale {number}",
                    slug=f"{PARTNER_SLUG}{number}",
                    kind=kind,
                    arrangement=arrangement,
                    sector=sector,
                    joined_on=joined,
                    customer_count=organisations,
                    notes="Generated for benchmarks by generate_scale_data.",
                )
            )
        self.partners = bulk_create_with_history(partners, Partner, batch_size=BATCH)
        # How large each partner is (its caseloads), and how well it tends to do against its targets.
        self.size = {p.pk: math.exp(rng.gauss(0, 0.6)) for p in self.partners}
        self.bias = {p.pk: rng.gauss(0, 0.35) for p in self.partners}
        subscriptions = [
            Subscription(partner=partner, service=service, starts_on=joined)
            for partner in self.partners
            for service in self.services
        ]
        bulk_create_with_history(subscriptions, Subscription, batch_size=BATCH)
        return f"{len(self.partners):,} partners, {len(subscriptions):,} subscriptions"

    def _users(self) -> str:
        def user(username, role, first, last, *, partner=None, title=""):
            return User(
                username=f"{USERNAME}{username}",
                role=role,
                partner=partner,
                first_name=first,
                last_name=last,
                job_title=title,
                email=f"{username}@{EMAIL_DOMAIN}",
                password=make_password(None),
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )

        people = [user("admin", Role.ADMIN, "Scale", "Administrator", title="Performance team")]
        for area in self.areas:
            code = area.code.lower()
            people.append(user(f"director.{code}", Role.DIRECTOR, "Scale", f"Director {area.code}", title=area.name))
            people.append(user(f"officer.{code}", Role.OFFICER, "Scale", f"Officer {area.code}", title=area.name))
        for partner in self.partners:
            number = partner.slug.removeprefix(PARTNER_SLUG)
            people.append(
                user(f"partner.{number}", Role.PARTNER_OFFICER, "Client lead", number, partner=partner, title="Client")
            )
        people = bulk_create_with_history(people, User, batch_size=BATCH)
        by_name = {u.username.removeprefix(USERNAME): u for u in people}
        self.admin = by_name["admin"]
        self.directors = {a.pk: by_name[f"director.{a.code.lower()}"] for a in self.areas}
        self.officers = {a.pk: by_name[f"officer.{a.code.lower()}"] for a in self.areas}
        self.partner_officers = {p.pk: by_name[f"partner.{p.slug.removeprefix(PARTNER_SLUG)}"] for p in self.partners}
        through = User.service_areas.through
        through.objects.bulk_create(
            [
                through(user_id=staff[area.pk].pk, servicearea_id=area.pk)
                for staff in (self.directors, self.officers)
                for area in self.areas
            ]
        )
        return f"{len(people):,} users (an administrator, a director and an officer per area, one per partner)"

    def _kpis(self, count: int) -> str:
        rng = self.rng
        services_of = {area.pk: [s for s in self.services if s.area_id == area.pk] for area in self.areas}
        names_used: dict[str, int] = {}
        kpis, self.templates, self.volume = [], {}, {}
        for n in range(count):
            area = self.areas[n % len(self.areas)]
            template = TEMPLATES[n % len(TEMPLATES)]
            service = None if n % 5 == 4 or not services_of[area.pk] else rng.choice(services_of[area.pk])
            name = f"{(service or area).name}: {template.name}"
            names_used[name] = names_used.get(name, 0) + 1
            if names_used[name] > 1:
                name = f"{name} ({names_used[name]})"
            kpi = KPI(
                code=f"{KPI_CODE}{n + 1:04d}",
                name=name[:200],
                definition=template.definition,
                area=area,
                service=service,
                unit=template.unit,
                polarity=template.polarity,
                frequency=KPI.Frequency.MONTHLY,
                data_owner=self.officers[area.pk],
                decimal_places=template.places,
                is_rate=template.is_rate,
                numerator_label=template.numerator_label,
                denominator_label=template.denominator_label,
                aggregation=template.aggregation,
            )
            kpis.append(kpi)
            self.templates[kpi.code] = template
        self.kpis = bulk_create_with_history(kpis, KPI, batch_size=BATCH, default_user=self.admin)

        # A target for every partner in each year, improving a little each year, and some partners' own.
        targets, self.targets = [], {}
        for kpi in self.kpis:
            template = self.templates[kpi.code]
            self.volume[kpi.pk] = rng.uniform(*template.volume) if template.is_rate else 0
            base = rng.uniform(*template.target)
            tolerance = float(_places(rng.uniform(*template.tolerance), template.places))
            better = 1 if kpi.higher_is_better else -1
            for step, year in enumerate(self.years):
                value = self._bounded(kpi, base + better * step * tolerance * 0.15)
                targets.append(self._target(kpi, year, None, value, tolerance))
                for partner in self.partners:
                    if rng.random() < 0.03:
                        own = self._bounded(kpi, value + rng.choice((-1, 1)) * rng.uniform(0.5, 1.5) * tolerance)
                        targets.append(self._target(kpi, year, partner, own, tolerance))
        bulk_create_with_history(targets, Target, batch_size=BATCH, default_user=self.admin)
        own = sum(1 for t in targets if t.partner_id)
        return (
            f"{len(self.kpis):,} KPIs over {len({k.area_id for k in self.kpis})} areas, {len(targets):,} targets for "
            f"{FinancialYear(self.years[0])} to {FinancialYear(self.years[-1])} ({own:,} of them a partner's own)"
        )

    def _bounded(self, kpi: KPI, value: float) -> float:
        """A target the KPI's unit allows: above zero, and a percentage short of 100."""
        places = kpi.decimal_places
        floor = 10**-places
        if kpi.unit == KPI.Unit.PERCENT:
            value = min(value, 99.5)
        return float(_places(max(value, floor), places))

    def _target(self, kpi, year, partner, value, tolerance) -> Target:
        places = kpi.decimal_places
        self.targets[(kpi.pk, year, partner.pk if partner else None)] = (value, tolerance)
        return Target(
            kpi=kpi,
            financial_year=year,
            partner=partner,
            value=_places(value, places),
            tolerance=_places(tolerance, places),
        )

    # Measurements ------------------------------------------------------------------------------------

    def _columns(self) -> list[str]:
        return [
            "created_at",
            "updated_at",
            "kpi_id",
            "partner_id",
            "period",
            "value",
            "numerator",
            "denominator",
            "commentary",
            "status",
            "source",
            "return_reason",
            "entered_by_id",
            "submitted_by_id",
            "submitted_at",
            "decided_by_id",
            "decided_at",
        ]

    def _measurement_lines(self):
        """One COPY line per KPI, partner and month; counts each figure's RAG rating as it goes."""
        rng = self.rng
        gauss, uniform, rand, choice = rng.gauss, rng.uniform, rng.random, rng.choice
        zone = timezone.get_current_timezone()
        months = []
        for period in self.periods:
            following = add_months(period, 1)
            submitted = min(dt.datetime.combine(following.replace(day=5), dt.time(10), tzinfo=zone), self.now)
            decided = min(dt.datetime.combine(following.replace(day=8), dt.time(15), tzinfo=zone), self.now)
            fy = FinancialYear.of(period)
            months.append(
                (
                    period.isoformat(),
                    fy.start_year,
                    (period.month - 4) % 12 + 1,  # months of the financial year so far
                    0.25 * math.sin(2 * math.pi * period.month / 12),
                    submitted.isoformat(),
                    decided.isoformat(),
                )
            )
        sources = [Measurement.Source.MANUAL] * 16 + [Measurement.Source.IMPORT] * 3 + [Measurement.Source.SYSTEM]
        self.rag = {Rag.GREEN: 0, Rag.AMBER: 0, Rag.RED: 0, "commentary": 0}
        rag = self.rag
        green, amber, red = Rag.GREEN, Rag.AMBER, Rag.RED  # bound once, for the inner loop
        for kpi in self.kpis:
            higher = kpi.higher_is_better
            better = 1 if higher else -1
            places = kpi.decimal_places
            percent = kpi.unit == KPI.Unit.PERCENT
            scale = 100.0 if percent else 1.0
            cumulative = kpi.is_rate and kpi.aggregation == KPI.Aggregation.LATEST
            volume = self.volume[kpi.pk]
            kpi_bias = gauss(0, 0.2)
            owner, director = self.officers[kpi.area_id].pk, self.directors[kpi.area_id].pk
            people = f"{owner}\t{owner}"
            for partner in self.partners:
                pid = partner.pk
                lean = self.bias[pid] + kpi_bias + 0.45
                size = self.size[pid]
                head = f"{kpi.pk}\t{pid}\t"
                for period, year, month_of_year, season, submitted, decided in months:
                    target, tolerance = self.targets.get((kpi.pk, year, pid)) or self.targets[(kpi.pk, year, None)]
                    result = target + better * (lean + season + gauss(0, 0.9)) * tolerance
                    result = max(result, 0.0)
                    if percent:
                        result = min(result, 100.0)
                    if kpi.is_rate:
                        cases = volume * size * uniform(0.85, 1.15) * (month_of_year if cumulative else 1)
                        denominator = max(1, round(cases))
                        numerator = round(result / scale * denominator)
                        if percent:
                            numerator = min(numerator, denominator)
                        actual = numerator * scale / denominator
                        figures = f"\\N\t{numerator}\t{denominator}"
                    else:
                        text = f"{result:.{places}f}"
                        actual = float(text)
                        figures = f"{text}\t\\N\t\\N"
                    shortfall = (target - actual) if higher else (actual - target)
                    if abs(shortfall) < CLOSE or abs(shortfall - tolerance) < CLOSE:
                        # On the edge of a band, floating point cannot tell: rate it as the portal does.
                        figure = kpi.rate_value(numerator, denominator) if kpi.is_rate else Decimal(text)
                        colour = rate(
                            figure, _places(target, places), _places(tolerance, places), higher_is_better=higher
                        )
                    else:
                        colour = green if shortfall <= 0 else amber if shortfall <= tolerance else red
                    rag[colour] += 1
                    if colour == red:
                        commentary = choice(RED_COMMENTARY)
                    else:
                        commentary = choice(OTHER_COMMENTARY) if rand() < 0.06 else ""
                    rag["commentary"] += bool(commentary)
                    yield (
                        f"{decided}\t{decided}\t{head}{period}\t{figures}\t{commentary}\tapproved\t"
                        f"{choice(sources)}\t\t{people}\t{submitted}\t{director}\t{decided}\n"
                    )

    def _measurements(self, *, history: bool) -> str:
        started = time.perf_counter()
        columns = [Measurement._meta.get_field(name.removesuffix("_id")).column for name in self._columns()]
        written = 0
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            sql = (
                f"COPY {quote(Measurement._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
                "FROM STDIN WITH (FORMAT text)"
            )
            chunk: list[str] = []
            with connection.cursor() as cursor:
                for line in self._measurement_lines():
                    chunk.append(line)
                    if len(chunk) == COPY_CHUNK:
                        cursor.copy_expert(sql, io.StringIO("".join(chunk)))
                        written += len(chunk)
                        chunk = []
                if chunk:
                    cursor.copy_expert(sql, io.StringIO("".join(chunk)))
                    written += len(chunk)
        else:
            names = self._columns()
            batch = []
            for line in self._measurement_lines():
                values = [None if v == "\\N" else v for v in line.rstrip("\n").split("\t")]
                batch.append(Measurement(**dict(zip(names, values, strict=True))))
                if len(batch) == BATCH:
                    written += len(Measurement.objects.bulk_create(batch))
                    batch = []
            written += len(Measurement.objects.bulk_create(batch))
        summary = f"{written:,} approved figures in {time.perf_counter() - started:.1f} s"
        if history:
            started = time.perf_counter()
            rows = self._measurement_history()
            summary += f", {rows:,} history rows in {time.perf_counter() - started:.1f} s"
        rag = self.rag
        rated = sum(rag[colour] for colour in (Rag.GREEN, Rag.AMBER, Rag.RED))
        shares = ", ".join(f"{rag[colour] / rated:.0%} {colour}" for colour in (Rag.GREEN, Rag.AMBER, Rag.RED))
        return f"{summary} ({shares}; {rag['commentary']:,} with commentary)"

    def _measurement_history(self) -> int:
        """A creation record for every figure, as if each had been stored with its history, in one statement."""
        quote = connection.ops.quote_name
        fields = [f.column for f in Measurement._meta.concrete_fields]
        table, history = Measurement._meta.db_table, Measurement.history.model._meta.db_table
        kpi_ids = ", ".join(str(kpi.pk) for kpi in self.kpis)
        listed = ", ".join(quote(c) for c in fields)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(history)} ({listed}, history_date, history_change_reason, history_type, "  # noqa: S608
                f"history_user_id) SELECT {listed}, {quote('decided_at')}, NULL, '+', {quote('decided_by_id')} "
                f"FROM {quote(table)} WHERE {quote('kpi_id')} IN ({kpi_ids})"
            )
            return cursor.rowcount

    # Agreements --------------------------------------------------------------------------------------

    def _agreements(self) -> str:
        rng = self.rng
        starts = FinancialYear(self.current_year).starts_on
        zone = timezone.get_current_timezone()
        agreements = []
        for partner in self.partners:
            number = partner.slug.removeprefix(PARTNER_SLUG)
            signed = dt.datetime.combine(starts - dt.timedelta(days=rng.randint(5, 40)), dt.time(11), tzinfo=zone)
            countersigned = signed + dt.timedelta(days=rng.randint(1, 10))
            agreements.append(
                Agreement(
                    partner=partner,
                    reference=f"SLA-SCL-{number}",
                    version=1,
                    status=Agreement.Status.ACTIVE,
                    title=f"oneSource services to {partner.name}",
                    summary="Every oneSource service, with the standards measured by the KPIs.",
                    starts_on=starts,
                    ends_on=starts.replace(year=starts.year + 3) - dt.timedelta(days=1),
                    review_due_on=starts + dt.timedelta(days=rng.randint(200, 900)),
                    owner=self.admin,
                    partner_signed_by=self.partner_officers[partner.pk],
                    partner_signed_at=signed,
                    onesource_signed_by=self.admin,
                    onesource_signed_at=countersigned,
                    activated_at=countersigned,
                )
            )
        agreements = bulk_create_with_history(agreements, Agreement, batch_size=BATCH, default_user=self.admin)
        schedules, standards, obligations = [], [], []
        for agreement in agreements:
            for service in self.services:
                schedules.append(
                    ServiceSchedule(
                        agreement=agreement,
                        service=service,
                        scope=f"The {service.name} service, as oneSource provides it to its partners.",
                        annual_charge=Decimal(rng.randint(2, 200) * 1000),
                    )
                )
            for kpi in rng.sample(self.kpis, min(STANDARDS_PER_AGREEMENT, len(self.kpis))):
                value, _ = (
                    self.targets.get((kpi.pk, self.years[-1], agreement.partner_id))
                    or self.targets[(kpi.pk, self.years[-1], None)]
                )
                target = _places(value, kpi.decimal_places)
                bound = "at least" if kpi.higher_is_better else "at most"
                standards.append(
                    ServiceStandard(
                        agreement=agreement,
                        kpi=kpi,
                        description=f"{kpi.name}: {bound} {kpi.format(target)}"[:250],
                        target=target,
                    )
                )
            for description in (
                "Name a client lead and an SLA signatory, and tell oneSource when either changes.",
                "Attend the quarterly performance review with oneSource.",
            ):
                obligations.append(CustomerObligation(agreement=agreement, description=description))
        for model, rows in (
            (ServiceSchedule, schedules),
            (ServiceStandard, standards),
            (CustomerObligation, obligations),
        ):
            bulk_create_with_history(rows, model, batch_size=BATCH, default_user=self.admin)
        return (
            f"{len(agreements):,} agreements in force, {len(schedules):,} service schedules, "
            f"{len(standards):,} service standards, {len(obligations):,} customer obligations"
        )

    # Savings -----------------------------------------------------------------------------------------

    def _savings(self) -> str:
        rng = self.rng
        plans = []
        for n in range(max(len(self.areas), len(self.partners) // 2)):
            area = self.areas[n % len(self.areas)]
            topic, category = SAVING_TOPICS[n % len(SAVING_TOPICS)]
            first = rng.choice(self.years)
            years = [y for y in range(first, first + rng.randint(1, 3)) if y in self.years]
            amounts = {year: Decimal(rng.randint(2, 60) * 5000) for year in years}
            sharers = rng.sample(self.partners, min(len(self.partners), rng.randint(2, 6)))
            weights = [rng.uniform(1, 5) for _ in sharers]
            cents = [max(1, round(10_000 * w / sum(weights))) for w in weights[:-1]]
            cents.append(10_000 - sum(cents))
            shares = {partner: Decimal(c) / 100 for partner, c in zip(sharers, cents, strict=True)}
            plans.append((n, area, topic, category, amounts, shares))
        all_years = [year for *_, amounts, _ in plans for year in amounts]
        programme = Programme(
            slug=PROGRAMME_SLUG,
            name="Scale programme",
            description="Saving lines generated for benchmarks by generate_scale_data.",
            total=sum((amount for *_, amounts, _ in plans for amount in amounts.values()), Decimal(0)),
            first_year=min(all_years),
            last_year=max(all_years),
            display_order=99,
        )
        programme = bulk_create_with_history([programme], Programme, default_user=self.admin)[0]
        lines = [
            SavingLine(
                reference=f"SCL-{n + 1:04d}",
                title=f"{area.name}: {topic.lower()}",
                programme=programme,
                area=area,
                owner=self.directors[area.pk],
                category=category,
                recurrence=SavingLine.Recurrence.RECURRING if rng.random() < 0.85 else SavingLine.Recurrence.ONE_OFF,
                is_cashable=rng.random() < 0.9,
            )
            for n, area, topic, category, _, _ in plans
        ]
        lines = bulk_create_with_history(lines, SavingLine, batch_size=BATCH, default_user=self.admin)
        shares, targets, updates = [], [], []
        for line, (*_, amounts, partner_shares) in zip(lines, plans, strict=True):
            shares += [PartnerShare(line=line, partner=p, percentage=pc) for p, pc in partner_shares.items()]
            targets += [YearTarget(line=line, financial_year=y, amount=a) for y, a in amounts.items()]
            for year, amount in amounts.items():
                if year > self.current_year:
                    break
                status = self._saving_status(past=year < self.current_year)
                forecast, achieved = self._saving_figures(status, amount, past=year < self.current_year)
                line.version += 1
                fy = FinancialYear(year)
                period = add_months(fy.starts_on, 11) if year < self.current_year else month_start(self.today)
                updates.append(
                    SavingsUpdate(
                        line=line,
                        financial_year=year,
                        period=period,
                        forecast=forecast,
                        achieved=achieved,
                        status=status,
                        commentary=""
                        if status in STATUSES_WITHOUT_COMMENTARY
                        else "Explained to the partners at the quarterly review.",
                        line_version=line.version,
                        recorded_by=self.directors[line.area_id],
                    )
                )
        SavingLine.objects.bulk_update(lines, ["version"], batch_size=BATCH)
        bulk_create_with_history(shares, PartnerShare, batch_size=BATCH, default_user=self.admin)
        bulk_create_with_history(targets, YearTarget, batch_size=BATCH, default_user=self.admin)
        SavingsUpdate.objects.bulk_create(updates, batch_size=BATCH)
        return (
            f"a programme of £{programme.total:,.2f}, {len(lines):,} saving lines, {len(targets):,} year targets, "
            f"{len(shares):,} partner shares, {len(updates):,} updates"
        )

    def _saving_status(self, *, past: bool) -> str:
        if past:
            return self.rng.choices([Status.ACHIEVED, Status.OVER_ACHIEVED, Status.SLIPPED], [70, 10, 20])[0]
        return self.rng.choices(
            [Status.ON_TRACK, Status.AT_RISK, Status.SLIPPED, Status.ACHIEVED, Status.NOT_ACHIEVABLE],
            [50, 20, 12, 13, 5],
        )[0]

    def _saving_figures(self, status: str, amount: Decimal, *, past: bool) -> tuple[Decimal, Decimal]:
        share = {
            Status.ACHIEVED: 100,
            Status.OVER_ACHIEVED: 115,
            Status.ON_TRACK: 100,
            Status.AT_RISK: 80,
            Status.SLIPPED: 70,
            Status.NOT_ACHIEVABLE: 0,
        }[status]
        forecast = (amount * share / 100).quantize(Decimal("0.01"))
        achieved = forecast if past else (forecast * self.rng.randint(20, 70) / 100).quantize(Decimal("0.01"))
        if status == Status.ACHIEVED:
            achieved = forecast
        return forecast, achieved

    # Enquiries and feedback --------------------------------------------------------------------------

    def _working_moment(self, days_ago: int) -> dt.datetime:
        """A moment in office hours on the working day ``days_ago`` days back (or the one before it)."""
        day = self.today - dt.timedelta(days=days_ago)
        while not periods.is_working_day(day):
            day -= dt.timedelta(days=1)
        opens, closes = periods.office_hours()
        minutes = (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
        at = dt.datetime.combine(day, opens, tzinfo=timezone.get_current_timezone())
        return min(at + dt.timedelta(minutes=self.rng.randrange(max(1, minutes))), self.now)

    def _customer_contact(self) -> str:
        rng = self.rng
        day = periods.office_day_seconds()
        response_targets = {(t.service_id, t.priority): t for t in ResponseTarget.objects.all()}
        weights = {"closed": 35, "resolved": 15, "in_progress": 20, "awaiting_customer": 10, "open": 20}
        enquiries, threads = [], []
        for n in range(max(10, len(self.partners))):
            partner = self.partners[n % len(self.partners)]
            service = rng.choice(self.services)
            priority = rng.choices(["urgent", "high", "normal", "low"], [5, 20, 60, 15])[0]
            status = rng.choices(list(weights), list(weights.values()))[0]
            target = response_targets.get((service.pk, priority))
            days = (target.first_response_days, target.resolution_days) if target else DEFAULT_TARGET_DAYS[priority]
            first, resolution = int(days[0] * day), int(days[1] * day)
            # Days since it was opened: open ones are recent, settled ones spread over the last year.
            ages = {"open": (0, 3), "in_progress": (1, 20), "awaiting_customer": (2, 20)}
            opened = self._working_moment(rng.randint(*ages.get(status, (10, 365))))
            enquiry = Enquiry(
                partner=partner,
                service=service,
                raised_by=self.partner_officers[partner.pk],
                channel=rng.choice(Enquiry.Channel.values),
                subject=rng.choice(ENQUIRY_SUBJECTS).format(month=f"{self.last_month:%B %Y}"),
                priority=priority,
                status=status,
                assignee=self.officers[service.area_id] if status != "open" else None,
                opened_at=opened,
                first_response_target_seconds=first,
                resolution_target_seconds=resolution,
                first_response_due_at=periods.add_working_seconds(opened, first),
                first_response_warn_at=periods.add_working_seconds(opened, math.ceil(first * WARNING_SHARE)),
                resolution_due_at=periods.add_working_seconds(opened, resolution),
                resolution_warn_at=periods.add_working_seconds(opened, math.ceil(resolution * WARNING_SHARE)),
            )
            if status != "open":
                answered = periods.add_working_seconds(opened, int(first * rng.uniform(0.2, 1.5)))
                enquiry.first_responded_at = min(answered, self.now)
                taken = periods.working_seconds_between(opened, enquiry.first_responded_at)
                enquiry.first_response_met = taken <= first
            if status in ("resolved", "closed"):
                done = periods.add_working_seconds(opened, int(resolution * rng.uniform(0.3, 1.4)))
                enquiry.resolved_at = min(max(done, enquiry.first_responded_at), self.now)
                enquiry.resolution_met = periods.working_seconds_between(opened, enquiry.resolved_at) <= resolution
                enquiry.paused_at = enquiry.resolved_at
                if status == "closed":
                    enquiry.closed_at = min(enquiry.resolved_at + dt.timedelta(days=rng.randint(1, 7)), self.now)
            elif status == "awaiting_customer":
                enquiry.paused_at = enquiry.first_responded_at
            self._stamp_alerts(enquiry)
            enquiries.append(enquiry)
        enquiries = bulk_create_with_history(enquiries, Enquiry, batch_size=BATCH, default_user=self.admin)
        for enquiry in enquiries:
            threads.append(
                EnquiryMessage(
                    enquiry=enquiry,
                    author=enquiry.raised_by,
                    body=f"{enquiry.subject}. Please could you look into this for us.",
                    sent_at=enquiry.opened_at,
                    from_staff=False,
                )
            )
            if enquiry.first_responded_at:
                threads.append(
                    EnquiryMessage(
                        enquiry=enquiry,
                        author=self.officers[enquiry.service.area_id],
                        body="Thank you; we are looking into it and will come back to you.",
                        sent_at=enquiry.first_responded_at,
                        from_staff=True,
                    )
                )
        EnquiryMessage.objects.bulk_create(threads, batch_size=BATCH)

        feedback = []
        for enquiry in enquiries:
            if enquiry.resolved_at and rng.random() < 0.6:
                officer = enquiry.raised_by
                feedback.append(self._feedback(enquiry.partner, enquiry.service, Feedback.Source.ENQUIRY, officer))
                feedback[-1].enquiry = enquiry
                feedback[-1].given_by = officer
                feedback[-1].received_on = timezone.localdate(enquiry.resolved_at)
        for n in range(max(0, max(10, len(self.partners)) - len(feedback))):
            partner = self.partners[(n * 7) % len(self.partners)]
            service = rng.choice(self.services)
            source = rng.choice(Feedback.STAFF_LOGGED)
            feedback.append(self._feedback(partner, service, source, self.officers[service.area_id]))
        bulk_create_with_history(feedback, Feedback, batch_size=BATCH, default_user=self.admin)
        return f"{len(enquiries):,} enquiries with {len(threads):,} messages, {len(feedback):,} feedback responses"

    def _stamp_alerts(self, enquiry: Enquiry) -> None:
        """Mark the alerts whose moment passed while the clock ran as sent, so a worker does not send them now."""
        answered = enquiry.first_responded_at or self.now
        settled = enquiry.paused_at or self.now
        for stamp, moment, until in (
            ("response_warning_sent_at", enquiry.first_response_warn_at, answered),
            ("response_breach_sent_at", enquiry.first_response_due_at, answered),
            ("resolution_warning_sent_at", enquiry.resolution_warn_at, settled),
            ("resolution_breach_sent_at", enquiry.resolution_due_at, settled),
        ):
            if moment <= until:
                setattr(enquiry, stamp, moment)

    def _feedback(self, partner, service, source, recorded_by) -> Feedback:
        return Feedback(
            partner=partner,
            service=service,
            source=source,
            score=self.rng.choices([1, 2, 3, 4, 5], [5, 10, 25, 35, 25])[0],
            comment=self.rng.choice(FEEDBACK_COMMENTS),
            received_on=self.today - dt.timedelta(days=self.rng.randint(0, 365)),
            recorded_by=recorded_by,
        )

    def _analyse(self) -> str:
        """Fresh planner statistics, so that the first benchmark does not run on estimates of empty tables."""
        tables = [Measurement._meta.db_table, Measurement.history.model._meta.db_table, Target._meta.db_table]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        return "analysed " + ", ".join(tables)
