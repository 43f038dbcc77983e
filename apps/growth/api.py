from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import PolicyReadOnlyViewSet

from . import selectors, services
from .filters import OnboardingTaskFilterSet, OpportunityFilterSet, TradedIncomeActualFilterSet, TradedIncomeFilterSet
from .models import OnboardingTask, Opportunity, TradedIncome, TradedIncomeActual


class OpportunitySerializer(serializers.ModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    services = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    owner = serializers.StringRelatedField(allow_null=True)
    weighted_value = serializers.SerializerMethodField()

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "title",
            "partner",
            "organisation_name",
            "joins_as",
            "arrangement",
            "sector",
            "services",
            "stage",
            "lost_reason",
            "value_kind",
            "expected_annual_value",
            "probability",
            "weighted_value",
            "expected_start",
            "cost_share",
            "owner",
            "next_step",
            "next_step_on",
            "agreement",
            "agreed_on",
        ]

    def get_weighted_value(self, opportunity) -> str:
        value = services.weighted_value(
            value=opportunity.expected_annual_value, probability=opportunity.probability, stage=opportunity.stage
        )
        return f"{value:.2f}"


class StageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Opportunity.Stage.choices)
    lost_reason = serializers.CharField(required=False, allow_blank=True, default="")


class OnboardingTaskSerializer(serializers.ModelSerializer):
    done_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = OnboardingTask
        fields = ["id", "opportunity", "kind", "position", "done_on", "done_by"]


class TradedIncomeSerializer(serializers.ModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    actual = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    variance = serializers.SerializerMethodField()

    class Meta:
        model = TradedIncome
        fields = ["id", "partner", "service", "financial_year", "budget", "actual", "variance"]

    def get_variance(self, line) -> str:
        return f"{line.actual - line.budget:.2f}"


class TradedIncomeActualSerializer(serializers.ModelSerializer):
    class Meta:
        model = TradedIncomeActual
        fields = ["id", "line", "period", "amount"]


class OpportunityViewSet(PolicyReadOnlyViewSet):
    model = Opportunity
    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilterSet

    def get_queryset(self):
        return selectors.opportunity_list(user=self.request.user)

    @extend_schema(request=StageSerializer, responses={200: OpportunitySerializer})
    @action(detail=True, methods=["post"], serializer_class=StageSerializer)
    def stage(self, request, pk=None):
        """Move the opportunity along the pipeline; "agreed" creates the partner, subscriptions and draft agreement."""
        opportunity = self.get_object()
        payload = StageSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        moved = services.opportunity_move_stage(user=request.user, opportunity=opportunity, **payload.validated_data)
        return Response(OpportunitySerializer(moved).data, status=status.HTTP_200_OK)


class OnboardingTaskViewSet(PolicyReadOnlyViewSet):
    model = OnboardingTask
    serializer_class = OnboardingTaskSerializer
    filterset_class = OnboardingTaskFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("done_by")


class TradedIncomeViewSet(PolicyReadOnlyViewSet):
    model = TradedIncome
    serializer_class = TradedIncomeSerializer
    filterset_class = TradedIncomeFilterSet

    def scope_queryset(self, queryset):
        return selectors.with_actuals(queryset.select_related("partner", "service")).order_by(
            "-financial_year", "partner__name", "service__name"
        )


class TradedIncomeActualViewSet(PolicyReadOnlyViewSet):
    model = TradedIncomeActual
    serializer_class = TradedIncomeActualSerializer
    filterset_class = TradedIncomeActualFilterSet


def register(router):
    router.register("opportunities", OpportunityViewSet, basename="opportunity")
    router.register("onboarding-tasks", OnboardingTaskViewSet, basename="onboardingtask")
    router.register("traded-income", TradedIncomeViewSet, basename="tradedincome")
    router.register("traded-income-actuals", TradedIncomeActualViewSet, basename="tradedincomeactual")
