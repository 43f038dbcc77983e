import django_filters
from django.db.models import Q

from apps.catalogue.models import ServiceArea
from apps.core.filters import IntegerFilter, MonthFilter, PortalFilterSet, visible_choices
from apps.core.rag import Rag
from apps.partners.models import Partner

from .models import KPI, Measurement, Target
from .selectors import filter_by_rag


class KPIFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label="Code, name or definition contains")
    area = django_filters.ModelChoiceFilter(
        queryset=ServiceArea.objects.all(), to_field_name="code", empty_label="Any service area"
    )
    unit = django_filters.ChoiceFilter(choices=KPI.Unit.choices, empty_label="Any unit")
    polarity = django_filters.ChoiceFilter(choices=KPI.Polarity.choices, empty_label="Either")
    frequency = django_filters.ChoiceFilter(choices=KPI.Frequency.choices, empty_label="Any frequency")
    is_rate = django_filters.BooleanFilter(label="Rate (numerator and denominator)")

    class Meta:
        model = KPI
        fields = ["q", "area", "unit", "polarity", "frequency", "is_rate"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value) | Q(definition__icontains=value))


class TargetFilterSet(PortalFilterSet):
    kpi = django_filters.CharFilter(field_name="kpi__code", label="KPI code")
    area = django_filters.CharFilter(field_name="kpi__area__code", label="Service area code")
    partner = django_filters.CharFilter(field_name="partner__slug", label="Partner")
    financial_year = IntegerFilter(label="Financial year (the year it starts in)")

    class Meta:
        model = Target
        fields = ["kpi", "area", "partner", "financial_year"]


class MeasurementFilterSet(PortalFilterSet):
    kpi = django_filters.CharFilter(field_name="kpi__code", label="KPI code")
    partner = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Partner), to_field_name="slug", empty_label="Any partner"
    )
    area = django_filters.CharFilter(field_name="kpi__area__code", label="Service area code")
    period_from = MonthFilter(field_name="period", lookup_expr="gte", label="From month")
    period_to = MonthFilter(field_name="period", lookup_expr="lte", label="To month")
    status = django_filters.ChoiceFilter(choices=Measurement.Status.choices, empty_label="Any status")
    source = django_filters.ChoiceFilter(choices=Measurement.Source.choices, empty_label="Any source")
    rag = django_filters.ChoiceFilter(choices=[(r.value, r.label) for r in Rag], method="filter_rag", label="RAG")

    class Meta:
        model = Measurement
        fields = ["kpi", "partner", "area", "period_from", "period_to", "status", "source", "rag"]

    def filter_rag(self, queryset, name, value):
        return filter_by_rag(queryset, value)
