"""The customer contact API: the same policy, FilterSets, selectors and services as the pages."""

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.models import User
from apps.catalogue.models import Service
from apps.core.api import PolicyReadOnlyViewSet, PortalModelSerializer, PortalSerializer

from . import selectors, services
from .filters import EnquiryFilterSet, FeedbackFilterSet, ImprovementActionFilterSet
from .models import Enquiry, EnquiryMessage, Feedback, ImprovementAction, Priority, SatisfactionSurvey


class EnquiryMessageSerializer(PortalModelSerializer):
    author = serializers.CharField(source="author.get_full_name", read_only=True)
    enquiry = serializers.IntegerField(source="enquiry_id", read_only=True)
    attachment = serializers.SerializerMethodField()

    class Meta:
        model = EnquiryMessage
        fields = ["id", "enquiry", "author", "from_staff", "sent_at", "body", "attachment", "attachment_name"]

    def get_attachment(self, message) -> str | None:
        return message.get_attachment_url() if message.attachment else None


class EnquirySerializer(PortalModelSerializer):
    reference = serializers.CharField(read_only=True)
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    raised_by = serializers.CharField(source="raised_by.username", read_only=True)
    assignee = serializers.CharField(source="assignee.username", read_only=True, default=None, allow_null=True)
    breached = serializers.BooleanField(read_only=True)
    time_left_seconds = serializers.SerializerMethodField()

    class Meta:
        model = Enquiry
        fields = [
            "id",
            "reference",
            "partner",
            "service",
            "raised_by",
            "channel",
            "subject",
            "priority",
            "status",
            "assignee",
            "opened_at",
            "first_response_due_at",
            "first_responded_at",
            "first_response_met",
            "resolution_due_at",
            "resolved_at",
            "resolution_met",
            "paused_at",
            "breached",
            "time_left_seconds",
        ]

    def get_time_left_seconds(self, enquiry) -> int | None:
        clock = enquiry.clock(self.context["now"])
        return clock["left"] if clock else None


class EnquiryDetailSerializer(EnquirySerializer):
    messages = EnquiryMessageSerializer(many=True, read_only=True)

    class Meta(EnquirySerializer.Meta):
        fields = [*EnquirySerializer.Meta.fields, "messages"]


class EnquiryRaiseSerializer(PortalSerializer):
    service = serializers.SlugRelatedField(slug_field="slug", queryset=Service.objects.all())
    subject = serializers.CharField(allow_blank=True)
    details = serializers.CharField(allow_blank=True, trim_whitespace=False)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    attachment = serializers.FileField(required=False)


class ReplySerializer(PortalSerializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    attachment = serializers.FileField(required=False)


class EnquiryUpdateSerializer(PortalSerializer):
    status = serializers.ChoiceField(choices=Enquiry.Status.choices, required=False)
    assignee = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), required=False, allow_null=True
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Give the status or the assignee to change.")
        return attrs


class RatingSerializer(PortalSerializer):
    score = serializers.IntegerField()
    comment = serializers.CharField(required=False, allow_blank=True)


class FeedbackSerializer(PortalModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Feedback
        fields = ["id", "partner", "service", "source", "score", "comment", "received_on", "enquiry", "survey"]


class EnquiryViewSet(mixins.CreateModelMixin, PolicyReadOnlyViewSet):
    """Enquiries the user may see; partner officers raise them, staff of the service answer them."""

    model = Enquiry
    filterset_class = EnquiryFilterSet

    def get_queryset(self):
        queryset = selectors.enquiry_list(user=self.request.user, now=self.now)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("messages__author")
        return queryset

    @property
    def now(self):
        if not hasattr(self, "_now"):
            self._now = timezone.now()
        return self._now

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": self.now}

    def handle_exception(self, exc):
        # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE before any field is read: say why.
        if isinstance(exc, RequestDataTooBig):
            exc = serializers.ValidationError(
                {
                    "non_field_errors": [
                        f"The request is too large: a message is at most {services.MAX_MESSAGE_LENGTH:,} "
                        "characters and an attachment at most 5 MB."
                    ]
                }
            )
        return super().handle_exception(exc)

    def get_serializer_class(self):
        return {
            "retrieve": EnquiryDetailSerializer,
            "create": EnquiryRaiseSerializer,
            "reply": ReplySerializer,
            "change": EnquiryUpdateSerializer,
            "rate": RatingSerializer,
        }.get(self.action, EnquirySerializer)

    def _detail(self, enquiry, code=status.HTTP_200_OK):
        enquiry = self.get_queryset().prefetch_related("messages__author").get(pk=enquiry.pk)
        return Response(EnquiryDetailSerializer(enquiry, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=EnquiryRaiseSerializer, responses={201: EnquiryDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enquiry = services.enquiry_raise(user=request.user, **serializer.validated_data)
        return self._detail(enquiry, status.HTTP_201_CREATED)

    @extend_schema(responses={201: EnquiryMessageSerializer})
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        enquiry = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.enquiry_reply(user=request.user, enquiry=enquiry, **serializer.validated_data)
        return Response(EnquiryMessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=EnquiryDetailSerializer)
    @action(detail=True, methods=["post"])
    def change(self, request, pk=None):
        """Staff change the status or the assignee."""
        enquiry = self.get_object()
        if not Enquiry.objects.editable_by(request.user).filter(pk=enquiry.pk).exists():
            raise Http404
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.enquiry_update(user=request.user, enquiry=enquiry, **serializer.validated_data)
        return self._detail(enquiry)

    @extend_schema(responses={201: FeedbackSerializer})
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        enquiry = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = services.enquiry_rate(user=request.user, enquiry=enquiry, **serializer.validated_data)
        return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)


class EnquiryMessageViewSet(PolicyReadOnlyViewSet):
    model = EnquiryMessage
    serializer_class = EnquiryMessageSerializer
    filterset_fields = ["enquiry"]

    def scope_queryset(self, queryset):
        return queryset.select_related("author")


class FeedbackAverageSerializer(PortalSerializer):
    """One group's average; the group is named by the field that ``by`` chose."""

    service = serializers.CharField(required=False, help_text="The service's name (by=service).")
    partner = serializers.CharField(required=False, help_text="The partner's short name (by=partner).")
    month = serializers.DateField(required=False, help_text="The first day of the month (by=month).")
    average = serializers.FloatField(help_text="Average score, to two decimal places.")
    responses = serializers.IntegerField()


class FeedbackViewSet(PolicyReadOnlyViewSet):
    """Individual feedback; the committee reads the averages (``averages``) instead."""

    model = Feedback
    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("partner", "service")

    @extend_schema(
        parameters=[OpenApiParameter("by", enum=["service", "partner", "month"], default="service")],
        responses=FeedbackAverageSerializer(many=True),
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def averages(self, request):
        """Average score and number of responses by ``by`` = service, partner or month."""
        by = request.query_params.get("by", "service")
        if by not in ("service", "partner", "month"):
            return Response({"by": ["Choose service, partner or month."]}, status=status.HTTP_400_BAD_REQUEST)
        rows = selectors.feedback_averages(user=request.user, by=by)
        key = {"service": "service__name", "partner": "partner__short_name", "month": "month"}[by]
        return Response(
            [{by: row[key], "average": round(row["average"], 2), "responses": row["responses"]} for row in rows]
        )


class SurveySerializer(PortalModelSerializer):
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = SatisfactionSurvey
        fields = ["id", "service", "title", "question", "opens_on", "closes_on"]


class SurveyViewSet(PolicyReadOnlyViewSet):
    model = SatisfactionSurvey
    serializer_class = SurveySerializer

    def scope_queryset(self, queryset):
        return queryset.select_related("service")


class ImprovementActionSerializer(PortalModelSerializer):
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    owner = serializers.CharField(source="owner.username", read_only=True)

    class Meta:
        model = ImprovementAction
        fields = ["id", *services.ACTION_FIELDS]


class ImprovementActionViewSet(PolicyReadOnlyViewSet):
    model = ImprovementAction
    serializer_class = ImprovementActionSerializer
    filterset_class = ImprovementActionFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("service", "partner", "owner")


def register(router):
    router.register("enquiries", EnquiryViewSet, basename="enquiry")
    router.register("enquiry-messages", EnquiryMessageViewSet, basename="enquirymessage")
    router.register("feedback", FeedbackViewSet, basename="feedback")
    router.register("surveys", SurveyViewSet, basename="satisfactionsurvey")
    router.register("improvement-actions", ImprovementActionViewSet, basename="improvementaction")
