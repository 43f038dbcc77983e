"""FilterSets shared by the committee's list pages and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from apps.core.filters import IntegerFilter, PortalFilterSet

from .models import Action, AgendaItem, Decision, Meeting


class MeetingFilterSet(PortalFilterSet):
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices, empty_label="Any status")
    year = IntegerFilter(field_name="meets_on__year", label="Year", min_value=2014, max_value=2100)

    class Meta:
        model = Meeting
        fields = ["status", "year"]


class AgendaItemFilterSet(PortalFilterSet):
    meeting = IntegerFilter(field_name="meeting_id", label="Meeting")
    purpose = django_filters.ChoiceFilter(choices=AgendaItem.Purpose.choices, empty_label="Any purpose")

    class Meta:
        model = AgendaItem
        fields = ["meeting", "purpose", "is_exempt"]


class DecisionFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(field_name="wording", lookup_expr="icontains", label="Wording contains")
    meeting = IntegerFilter(field_name="item__meeting_id", label="Meeting")
    decided_from = django_filters.DateFilter(field_name="decided_on", lookup_expr="gte", label="Decided on or after")
    decided_to = django_filters.DateFilter(field_name="decided_on", lookup_expr="lte", label="Decided on or before")

    class Meta:
        model = Decision
        fields = ["q", "meeting", "decided_from", "decided_to"]


class ActionFilterSet(PortalFilterSet):
    status = django_filters.ChoiceFilter(choices=Action.Status.choices, empty_label="Any status")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Mine only")
    meeting = IntegerFilter(field_name="item__meeting_id", label="Meeting")

    class Meta:
        model = Action
        fields = ["status", "overdue", "mine", "meeting"]

    def filter_overdue(self, queryset, name, value):
        late = Q(status__in=Action.OPEN_STATUSES, due_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None:
            return queryset
        return queryset.filter(owner=user)
