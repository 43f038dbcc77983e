import django_filters
from django.db.models import Q
from django.utils import timezone

from apps.catalogue.models import ServiceArea
from apps.core.filters import PortalFilterSet
from apps.core.periods import add_months_exact

from .models import ANALYSIS_MONTHS, Project, ProjectUpdate, Technique


class ProjectFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Title contains")
    area = django_filters.ModelChoiceFilter(queryset=ServiceArea.objects.all(), empty_label="All areas")
    stage = django_filters.ChoiceFilter(choices=Project.Stage.choices, empty_label="Any stage")
    rag = django_filters.ChoiceFilter(choices=Project.Rag.choices, empty_label="Any RAG status", label="RAG status")
    technique = django_filters.ModelChoiceFilter(
        field_name="techniques", queryset=Technique.objects.all(), empty_label="Any technique"
    )
    analysis_overdue = django_filters.BooleanFilter(method="filter_analysis_overdue", label="Analysis past six months")

    class Meta:
        model = Project
        fields = ["q", "area", "stage", "rag", "technique", "analysis_overdue"]

    def filter_analysis_overdue(self, queryset, name, value):
        cutoff = add_months_exact(timezone.localdate(), -ANALYSIS_MONTHS)
        late = Q(stage=Project.Stage.ANALYSIS, analysis_started_on__lt=cutoff)
        return queryset.filter(late) if value else queryset.exclude(late)


class ProjectUpdateFilterSet(PortalFilterSet):
    class Meta:
        model = ProjectUpdate
        fields = ["project", "rag"]
