import django_filters
from django.db.models import Q

from apps.accounts.models import User
from apps.catalogue.models import ServiceArea
from apps.core.filters import IntegerFilter, PortalFilterSet
from apps.core.roles import STAFF_ROLES

from .models import Category, MitigatingAction, Risk, RiskAssessment, RiskControl
from .scoring import BAND_CHOICES, band_q


class RiskFilterSet(PortalFilterSet):
    """The register's filters, on its page, its heat map and the API alike."""

    q = django_filters.CharFilter(method="filter_text", label="Title or description contains")
    category = django_filters.ChoiceFilter(choices=Category.choices, empty_label="Any category")
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(role__in=STAFF_ROLES).order_by("username"), empty_label="Anyone"
    )
    area = django_filters.ModelChoiceFilter(
        queryset=ServiceArea.objects.all(), empty_label="All areas", label="Service area"
    )
    band = django_filters.ChoiceFilter(
        choices=BAND_CHOICES, method="filter_band", empty_label="Any score", label="Residual score"
    )
    min_score = IntegerFilter(field_name="residual_score", lookup_expr="gte", label="Residual score at least")
    review_overdue = django_filters.BooleanFilter(method="filter_review_overdue", label="Review overdue")
    is_principal = django_filters.BooleanFilter(label="Principal risk")
    status = django_filters.ChoiceFilter(choices=Risk.Status.choices, empty_label="Open or closed")

    class Meta:
        model = Risk
        fields = ["q", "category", "owner", "area", "band", "min_score", "review_overdue", "is_principal", "status"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(event__icontains=value))

    def filter_band(self, queryset, name, value):
        return queryset.filter(band_q(value))

    def filter_review_overdue(self, queryset, name, value):
        overdue = Risk.objects.review_overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class RiskAssessmentFilterSet(PortalFilterSet):
    class Meta:
        model = RiskAssessment
        fields = ["risk"]


class MitigatingActionFilterSet(PortalFilterSet):
    class Meta:
        model = MitigatingAction
        fields = ["risk", "status", "owner"]


class RiskControlFilterSet(PortalFilterSet):
    class Meta:
        model = RiskControl
        fields = ["risk"]
