import django_filters
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import User
from apps.catalogue.models import Service
from apps.core.filters import PortalFilterSet
from apps.core.periods import FinancialYear, financial_year_choices
from apps.core.roles import STAFF_ROLES
from apps.partners.models import Partner

from .models import OnboardingTask, Opportunity, TradedIncome, TradedIncomeActual


class OpportunityFilterSet(PortalFilterSet):
    """The pipeline's filters, on its page (and its weighted totals) and in the API."""

    q = django_filters.CharFilter(method="filter_text", label="Title or organisation contains")
    stage = django_filters.ChoiceFilter(choices=Opportunity.Stage.choices, empty_label="Any stage")
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(role__in=STAFF_ROLES).order_by("username"), empty_label="Anyone"
    )
    service = django_filters.ModelChoiceFilter(
        field_name="services", queryset=Service.objects.all(), to_field_name="slug", empty_label="Any service"
    )
    year = django_filters.ChoiceFilter(
        choices=lambda: financial_year_choices(last=FinancialYear.of(timezone.localdate()).start_year + 5),
        method="filter_year",
        empty_label="Any year",
        label="Expected to start in",
    )

    class Meta:
        model = Opportunity
        fields = ["q", "stage", "owner", "service", "year"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(organisation_name__icontains=value) | Q(partner__name__icontains=value)
        )

    def filter_year(self, queryset, name, value: str):
        year = FinancialYear(int(value))
        return queryset.filter(
            expected_start__gte=year.starts_on, expected_start__lt=FinancialYear(year.start_year + 1).starts_on
        )


class OnboardingTaskFilterSet(PortalFilterSet):
    class Meta:
        model = OnboardingTask
        fields = ["opportunity", "kind"]


class TradedIncomeFilterSet(PortalFilterSet):
    partner = django_filters.ModelChoiceFilter(
        queryset=lambda request: Partner.objects.visible_to(request.user) if request else Partner.objects.none(),
        to_field_name="slug",
        empty_label="Any customer",
        label="Customer",
    )
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(), to_field_name="slug", empty_label="Any service"
    )
    financial_year = django_filters.ChoiceFilter(
        choices=financial_year_choices, empty_label="This year", label="Financial year"
    )

    class Meta:
        model = TradedIncome
        fields = ["partner", "service", "financial_year"]


class TradedIncomeActualFilterSet(PortalFilterSet):
    class Meta:
        model = TradedIncomeActual
        fields = ["line", "period"]
