from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import PolicyReadOnlyViewSet

from . import selectors, services
from .filters import MitigatingActionFilterSet, RiskAssessmentFilterSet, RiskControlFilterSet, RiskFilterSet
from .models import MitigatingAction, Risk, RiskAssessment, RiskControl
from .scoring import SCALE_CHOICES


class RiskSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    owner = serializers.StringRelatedField()
    objective = serializers.StringRelatedField(allow_null=True)
    residual_rag = serializers.CharField(read_only=True)
    inherent_rag = serializers.CharField(read_only=True)
    target_rag = serializers.CharField(read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "title",
            "cause",
            "event",
            "effect",
            "category",
            "area",
            "owner",
            "objective",
            "inherent_likelihood",
            "inherent_impact",
            "inherent_score",
            "inherent_rag",
            "residual_likelihood",
            "residual_impact",
            "residual_score",
            "residual_rag",
            "target_likelihood",
            "target_impact",
            "target_score",
            "target_rag",
            "is_principal",
            "review_on",
            "status",
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    assessed_by = serializers.StringRelatedField()
    assessed_on = serializers.DateField(required=False)
    inherent_likelihood = serializers.ChoiceField(choices=SCALE_CHOICES)
    inherent_impact = serializers.ChoiceField(choices=SCALE_CHOICES)
    residual_likelihood = serializers.ChoiceField(choices=SCALE_CHOICES)
    residual_impact = serializers.ChoiceField(choices=SCALE_CHOICES)
    review_on = serializers.DateField(required=False, write_only=True)

    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "risk",
            "assessed_on",
            "inherent_likelihood",
            "inherent_impact",
            "inherent_score",
            "residual_likelihood",
            "residual_impact",
            "residual_score",
            "note",
            "assessed_by",
            "review_on",
        ]
        read_only_fields = ["risk", "inherent_score", "residual_score", "assessed_by"]


class ControlSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskControl
        fields = ["id", "risk", "description"]


class ActionSerializer(serializers.ModelSerializer):
    owner = serializers.StringRelatedField()

    class Meta:
        model = MitigatingAction
        fields = ["id", "risk", "description", "owner", "due_on", "status"]


class RiskViewSet(PolicyReadOnlyViewSet):
    model = Risk
    serializer_class = RiskSerializer
    filterset_class = RiskFilterSet

    def get_queryset(self):
        return selectors.risk_list(user=self.request.user)

    @extend_schema(request=AssessmentSerializer, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["post"], serializer_class=AssessmentSerializer)
    def assess(self, request, pk=None):
        """Score the risk again; the scores are kept as a dated assessment."""
        risk = self.get_object()
        payload = AssessmentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        assessment = services.risk_assess(user=request.user, risk=risk, **payload.validated_data)
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


class RiskAssessmentViewSet(PolicyReadOnlyViewSet):
    model = RiskAssessment
    serializer_class = AssessmentSerializer
    filterset_class = RiskAssessmentFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("assessed_by")


class RiskControlViewSet(PolicyReadOnlyViewSet):
    model = RiskControl
    serializer_class = ControlSerializer
    filterset_class = RiskControlFilterSet


class MitigatingActionViewSet(PolicyReadOnlyViewSet):
    model = MitigatingAction
    serializer_class = ActionSerializer
    filterset_class = MitigatingActionFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("owner")


def register(router):
    router.register("risks", RiskViewSet, basename="risk")
    router.register("risk-assessments", RiskAssessmentViewSet, basename="riskassessment")
    router.register("risk-controls", RiskControlViewSet, basename="riskcontrol")
    router.register("risk-actions", MitigatingActionViewSet, basename="riskaction")
