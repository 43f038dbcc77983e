"""Base classes for the API: the same access policy, FilterSets and services as the pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, viewsets
from rest_framework.views import exception_handler as drf_exception_handler


class PolicyViewSetMixin:
    """``get_queryset`` starts from the rows visible to the user, as the pages do.

    A row outside it is a 404 on retrieve, update and delete, so ids do not leak.
    Subclasses narrow it with ``scope_queryset`` (select_related, annotations).
    """

    model = None

    def scope_queryset(self, queryset):
        return queryset

    def get_queryset(self):
        return self.scope_queryset(self.model.objects.visible_to(self.request.user))


class PolicyReadOnlyViewSet(PolicyViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


def exception_handler(exc, context):
    """Services raise Django's ValidationError and PermissionDenied; answer them as 400 and 403."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
