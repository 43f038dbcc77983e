import django_filters
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import User
from apps.catalogue.models import ServiceArea
from apps.core.filters import IntegerFilter, PortalFilterSet
from apps.core.roles import STAFF_ROLES

from .models import CLOSED_STATUSES, Activity, ActivityStatus, ActivityUpdate, StrategicObjective


class ActivityFilterSet(PortalFilterSet):
    """The plan page's filters, and the activities endpoint's."""

    year = IntegerFilter(field_name="objective__plan__financial_year", label="Plan year (2016 is 2016/17)")
    objective = django_filters.ModelChoiceFilter(
        queryset=StrategicObjective.objects.select_related("plan"), empty_label="All objectives"
    )
    area = django_filters.ModelChoiceFilter(
        field_name="lead_areas", queryset=ServiceArea.objects.all(), label="Service area", empty_label="All areas"
    )
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices, empty_label="Any status")
    owner = django_filters.ModelChoiceFilter(queryset=User.objects.filter(role__in=STAFF_ROLES), empty_label="Anyone")
    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices, empty_label="Both kinds", label="Kind")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue")

    class Meta:
        model = Activity
        fields = ["year", "objective", "area", "status", "owner", "kind", "overdue"]

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            # On a plan's page the year is the page's own, and the objectives are that plan's.
            del self.filters["year"]
            self.filters["objective"].queryset = plan.objectives.order_by("position")

    def filter_overdue(self, queryset, name, value):
        overdue = Q(due_on__lt=timezone.localdate()) & ~Q(status__in=CLOSED_STATUSES)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class ActivityUpdateFilterSet(PortalFilterSet):
    class Meta:
        model = ActivityUpdate
        fields = ["activity", "status"]
