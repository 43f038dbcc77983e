import django_filters
from django.db.models import Q

from apps.core.filters import PortalFilterSet
from apps.core.periods import financial_year_choices
from apps.partners.models import Partner

from .models import CommissioningRequest, CostShare, Service, ServiceArea, Subscription


class ServiceFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label="Name contains")
    area = django_filters.ModelChoiceFilter(
        queryset=ServiceArea.objects.all(), to_field_name="code", empty_label="Any service area"
    )

    class Meta:
        model = Service
        fields = ["q", "area"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


def _visible_partners(request):
    return Partner.objects.visible_to(request.user) if request else Partner.objects.none()


class SubscriptionFilterSet(PortalFilterSet):
    partner = django_filters.ModelChoiceFilter(
        queryset=_visible_partners, to_field_name="slug", empty_label="Any partner"
    )
    area = django_filters.ModelChoiceFilter(
        field_name="service__area",
        queryset=ServiceArea.objects.all(),
        to_field_name="code",
        empty_label="Any service area",
    )
    current = django_filters.BooleanFilter(method="filter_current", label="Current now")

    class Meta:
        model = Subscription
        fields = ["partner", "area", "current"]

    def filter_current(self, queryset, name, value):
        current = queryset.current()
        return current if value else queryset.exclude(pk__in=current.values("pk"))


class CommissioningRequestFilterSet(PortalFilterSet):
    status = django_filters.ChoiceFilter(choices=CommissioningRequest.Status.choices, empty_label="Any status")
    partner = django_filters.ModelChoiceFilter(
        queryset=_visible_partners, to_field_name="slug", empty_label="Any partner"
    )
    area = django_filters.ModelChoiceFilter(
        field_name="service__area",
        queryset=ServiceArea.objects.all(),
        to_field_name="code",
        empty_label="Any service area",
    )

    class Meta:
        model = CommissioningRequest
        fields = ["status", "partner", "area"]


class CostShareFilterSet(PortalFilterSet):
    financial_year = django_filters.ChoiceFilter(
        choices=financial_year_choices, empty_label="Any year", label="Financial year"
    )
    area = django_filters.ModelChoiceFilter(
        queryset=ServiceArea.objects.all(), to_field_name="code", empty_label="Any service area"
    )

    class Meta:
        model = CostShare
        fields = ["financial_year", "area"]
