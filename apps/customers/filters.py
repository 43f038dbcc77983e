import django_filters
from django.utils import timezone

from apps.catalogue.models import Service
from apps.core.filters import PortalFilterSet
from apps.partners.models import Partner

from .models import Enquiry, Feedback, ImprovementAction, Priority
from .selectors import breached_q


class EnquiryFilterSet(PortalFilterSet):
    partner = django_filters.ModelChoiceFilter(
        queryset=lambda request: Partner.objects.visible_to(request.user) if request else Partner.objects.none(),
        field_name="partner",
        to_field_name="slug",
        empty_label="Any partner",
    )
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(), to_field_name="slug", empty_label="Any service"
    )
    status = django_filters.ChoiceFilter(choices=Enquiry.Status.choices, empty_label="Any status")
    active = django_filters.BooleanFilter(method="filter_active", label="Still open")
    priority = django_filters.ChoiceFilter(choices=Priority.choices, empty_label="Any priority")
    breached = django_filters.BooleanFilter(method="filter_breached", label="Target missed")
    opened_after = django_filters.DateFilter(
        field_name="opened_at__date", lookup_expr="gte", label="Opened on or after"
    )
    opened_before = django_filters.DateFilter(
        field_name="opened_at__date", lookup_expr="lte", label="Opened on or before"
    )

    class Meta:
        model = Enquiry
        fields = ["partner", "service", "status", "active", "priority", "breached", "opened_after", "opened_before"]

    def filter_active(self, queryset, name, value):
        active = {"status__in": Enquiry.ACTIVE_STATUSES}
        return queryset.filter(**active) if value else queryset.exclude(**active)

    def filter_breached(self, queryset, name, value):
        missed = breached_q(timezone.now())
        return queryset.filter(missed) if value else queryset.exclude(missed)


class FeedbackFilterSet(PortalFilterSet):
    partner = django_filters.ModelChoiceFilter(
        queryset=lambda request: Partner.objects.visible_to(request.user) if request else Partner.objects.none(),
        to_field_name="slug",
        empty_label="Any partner",
    )
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(), to_field_name="slug", empty_label="Any service"
    )
    source = django_filters.ChoiceFilter(choices=Feedback.Source.choices, empty_label="Any source")
    received_after = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label="Received on or after"
    )
    received_before = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", label="Received on or before"
    )

    class Meta:
        model = Feedback
        fields = ["partner", "service", "source", "received_after", "received_before"]


class ImprovementActionFilterSet(PortalFilterSet):
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(), to_field_name="slug", empty_label="Any service"
    )
    status = django_filters.ChoiceFilter(choices=ImprovementAction.Status.choices, empty_label="Any status")
    origin = django_filters.ChoiceFilter(choices=ImprovementAction.Origin.choices, empty_label="Any origin")

    class Meta:
        model = ImprovementAction
        fields = ["service", "status", "origin"]
