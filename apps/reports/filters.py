import django_filters

from apps.core.filters import MonthFilter, PortalFilterSet, visible_choices
from apps.partners.models import Partner

from .models import MonthlyReport, PublishedReport


def _visible_partners(request):
    return Partner.objects.visible_to(getattr(request, "user", None))


class ReportFilterSet(PortalFilterSet):
    """The performance team's list of reports, drafts included."""

    partner = django_filters.ModelChoiceFilter(queryset=visible_choices(Partner), empty_label="Every partner")
    onesource = django_filters.BooleanFilter(field_name="partner", lookup_expr="isnull", label="oneSource as a whole")
    status = django_filters.ChoiceFilter(choices=MonthlyReport.Status.choices, empty_label="Any status")
    period = MonthFilter(label="Month")

    class Meta:
        model = MonthlyReport
        fields = ["partner", "onesource", "status", "period"]


class PublishedReportFilterSet(PortalFilterSet):
    """Published reports, as everyone else reads them."""

    partner = django_filters.ModelChoiceFilter(
        field_name="report__partner", queryset=lambda request: _visible_partners(request), empty_label="Every partner"
    )
    onesource = django_filters.BooleanFilter(
        field_name="report__partner", lookup_expr="isnull", label="oneSource as a whole"
    )
    period = MonthFilter(field_name="report__period", label="Month")

    class Meta:
        model = PublishedReport
        fields = ["partner", "onesource", "period"]
