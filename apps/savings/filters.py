import django_filters
from django.db.models import Exists, OuterRef

from apps.catalogue.models import ServiceArea
from apps.core.filters import IntegerFilter, PortalFilterSet
from apps.core.periods import financial_year_choices
from apps.partners.models import Partner

from .models import Programme, SavingLine, SavingsUpdate, Status, YearTarget
from .selectors import FIRST_YEAR, reporting_year

#: The tracker's choice of every year at once (no choice at all is the year being read).
EVERY_YEAR = "all"
#: How many years after the year being read the choice of years runs (targets can be phased ahead).
YEARS_AHEAD = 5


def year_choices():
    years = financial_year_choices(FIRST_YEAR, reporting_year() + YEARS_AHEAD)
    return [(EVERY_YEAR, "Every year"), *((str(year), label) for year, label in years)]


def current_status_updates(status, year=None):
    """Updates that are the latest of their line and year and have ``status``."""
    newer = SavingsUpdate.objects.filter(
        line=OuterRef("line"), financial_year=OuterRef("financial_year"), line_version__gt=OuterRef("line_version")
    )
    updates = SavingsUpdate.objects.filter(status=status).exclude(Exists(newer))
    return updates if year is None else updates.filter(financial_year=year)


class SavingLineFilterSet(PortalFilterSet):
    """The tracker's filters, shared by the tracker page, its Excel export and the API."""

    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.all(), to_field_name="slug", empty_label="All programmes"
    )
    area = django_filters.ModelChoiceFilter(
        queryset=ServiceArea.objects.all(), to_field_name="code", label="Service area", empty_label="All areas"
    )
    partner = django_filters.ModelChoiceFilter(
        queryset=lambda request: Partner.objects.visible_to(request.user) if request else Partner.objects.none(),
        to_field_name="slug",
        field_name="shares__partner",
        label="Partner share",
        empty_label="All partners",
    )
    year = django_filters.ChoiceFilter(
        choices=year_choices,
        method="filter_year",
        label="Financial year",
        empty_label="This financial year",
    )
    status = django_filters.ChoiceFilter(
        choices=Status.choices, method="filter_status", label="Status", empty_label="Any status"
    )
    owner = django_filters.CharFilter(field_name="owner__username", label="Owner (user name)")

    class Meta:
        model = SavingLine
        fields = ["programme", "area", "partner", "year", "status", "owner"]

    def filter_year(self, queryset, name, value: str):
        if value == EVERY_YEAR:
            return queryset
        return queryset.filter(pk__in=YearTarget.objects.filter(financial_year=int(value)).values("line"))

    def filter_status(self, queryset, name, value):
        year = self.form.cleaned_data.get("year")
        year = int(year) if year and year != EVERY_YEAR else None
        return queryset.filter(pk__in=current_status_updates(value, year).values("line"))


class YearTargetFilterSet(PortalFilterSet):
    programme = django_filters.CharFilter(field_name="line__programme__slug", label="Programme (slug)")
    area = django_filters.CharFilter(field_name="line__area__code", label="Service area (code)")
    year = IntegerFilter(field_name="financial_year", label="Financial year it starts in")
    owner = django_filters.CharFilter(field_name="line__owner__username", label="Owner (user name)")
    line = django_filters.CharFilter(field_name="line__reference", label="Line reference")

    class Meta:
        model = YearTarget
        fields = ["programme", "area", "year", "owner", "line"]


class SavingsUpdateFilterSet(YearTargetFilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices)

    class Meta:
        model = SavingsUpdate
        fields = ["programme", "area", "year", "status", "owner", "line"]
