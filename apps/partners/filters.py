import django_filters
from django.db.models import Q
from django.utils import timezone

from apps.core.filters import PortalFilterSet

from .models import Partner


class PartnerFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label="Name contains")
    kind = django_filters.ChoiceFilter(choices=Partner.Kind.choices, empty_label="Any kind")
    arrangement = django_filters.ChoiceFilter(choices=Partner.Arrangement.choices, empty_label="Any arrangement")
    sector = django_filters.ChoiceFilter(choices=Partner.Sector.choices, empty_label="Any sector")
    active = django_filters.BooleanFilter(method="filter_active", label="Active now")

    class Meta:
        model = Partner
        fields = ["q", "kind", "arrangement", "sector", "active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))

    def filter_active(self, queryset, name, value):
        active = queryset.active_on(timezone.localdate())
        return active if value else queryset.exclude(pk__in=active.values("pk"))
