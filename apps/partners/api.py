from rest_framework import serializers, viewsets

from apps.core.api import PolicyViewSetMixin, PortalModelSerializer

from . import selectors, services
from .filters import PartnerFilterSet
from .models import Contact, Partner


class PartnerSerializer(PortalModelSerializer):
    is_active = serializers.BooleanField(read_only=True)
    current_service_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Partner
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "kind",
            "arrangement",
            "sector",
            "joined_on",
            "left_on",
            "customer_count",
            "notes",
            "is_active",
            "current_service_count",
        ]
        read_only_fields = ["slug"]


class ContactSerializer(PortalModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="slug", queryset=Partner.objects.all())

    class Meta:
        model = Contact
        fields = ["id", "partner", "name", "job_title", "responsibility", "email", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["partner"].queryset = Partner.objects.editable_by(request.user)


class PartnerViewSet(PolicyViewSetMixin, viewsets.ModelViewSet):
    """Partners and customers. Admins create and change them; everyone else reads what they may see."""

    model = Partner
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet
    lookup_field = "slug"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.partner_list(user=self.request.user)

    def perform_create(self, serializer):
        partner = services.partner_save(user=self.request.user, **serializer.validated_data)
        # Answer with the row as the list shows it, with its counts.
        serializer.instance = self.get_queryset().get(pk=partner.pk)

    def perform_update(self, serializer):
        partner = services.partner_save(
            user=self.request.user, partner=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=partner.pk)


class ContactViewSet(PolicyViewSetMixin, viewsets.ModelViewSet):
    model = Contact
    serializer_class = ContactSerializer
    filterset_fields = {"partner__slug": ["exact"], "responsibility": ["exact"]}

    def scope_queryset(self, queryset):
        return queryset.select_related("partner")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partner = data.pop("partner")
        serializer.instance = services.contact_save(user=self.request.user, partner=partner, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("partner", None)
        serializer.instance = services.contact_save(
            user=self.request.user, partner=serializer.instance.partner, contact=serializer.instance, **data
        )

    def perform_destroy(self, instance):
        services.contact_delete(user=self.request.user, contact=instance)


def register(router):
    router.register("partners", PartnerViewSet, basename="partner")
    router.register("contacts", ContactViewSet, basename="contact")
