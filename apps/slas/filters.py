import django_filters

from apps.core.filters import IntegerFilter, PortalFilterSet, visible_choices
from apps.partners.models import Partner

from .models import Agreement, CustomerObligation, ServiceSchedule, ServiceStandard


class AgreementFilterSet(PortalFilterSet):
    partner = django_filters.ModelChoiceFilter(
        queryset=visible_choices(Partner), to_field_name="slug", empty_label="Any partner"
    )
    status = django_filters.ChoiceFilter(choices=Agreement.Status.choices, empty_label="Any status")
    review_due_before = django_filters.DateFilter(
        field_name="review_due_on", lookup_expr="lte", label="Review due on or before"
    )

    class Meta:
        model = Agreement
        fields = ["partner", "status", "review_due_before"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Offer only the partners the user may see, so the list of choices leaks nothing either.
        if request is not None:
            self.filters["partner"].queryset = Partner.objects.visible_to(request.user)


class AgreementPartFilterSet(PortalFilterSet):
    agreement = IntegerFilter(field_name="agreement_id", label="Agreement")
    partner = django_filters.CharFilter(field_name="agreement__partner__slug", label="Partner")


class ScheduleFilterSet(AgreementPartFilterSet):
    class Meta:
        model = ServiceSchedule
        fields = ["agreement", "partner"]


class StandardFilterSet(AgreementPartFilterSet):
    kpi = django_filters.CharFilter(field_name="kpi__code", label="KPI code")

    class Meta:
        model = ServiceStandard
        fields = ["agreement", "partner", "kpi"]


class ObligationFilterSet(AgreementPartFilterSet):
    class Meta:
        model = CustomerObligation
        fields = ["agreement", "partner"]
