"""Base classes for the API: the same access policy, FilterSets and services as the pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .conflicts import Conflict
from .inputs import bound_serializer_field, normalise_zeros


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


class InputPolicySerializerMixin:
    """Every writable field is bounded by the input policy (apps/core/inputs.py); -0 is read as 0."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            bound_serializer_field(field)
        return fields

    def to_internal_value(self, data):
        return normalise_zeros(super().to_internal_value(data))


class PortalSerializer(InputPolicySerializerMixin, serializers.Serializer):
    pass


class PortalModelSerializer(InputPolicySerializerMixin, serializers.ModelSerializer):
    pass


def exception_handler(exc, context):
    """Services raise Django's ValidationError and PermissionDenied; answer them as 400 and 403.

    A Conflict (someone else's write got there first) is a 409 with the row stored now, in the view's
    own serializer, so the client can act on what is there.
    """
    if isinstance(exc, Conflict):
        body = {"detail": exc.messages[0]}
        view = context.get("view")
        model = getattr(getattr(view, "serializer_class", None), "Meta", None)
        if exc.current is not None and isinstance(exc.current, getattr(model, "model", ())):
            body["current"] = view.get_serializer(exc.current).data
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


ERROR_SCHEMA = {
    "type": "object",
    "description": "Why the request was refused.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Each field in error (``non_field_errors`` for the request as a whole) with its messages; "
    "``detail`` alone when the request could not be read at all.",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object", "description": "The errors of a nested object or list, by field or position."},
            {"type": "string"},
        ]
    },
}


class PortalAutoSchema(AutoSchema):
    """The schema of every operation also documents the errors the API answers with.

    400 where the operation reads a body or query parameters or changes anything (serializers,
    FilterSets and services refuse invalid input, and changes the workflow does not allow, with it),
    401 and 403 where the user must be signed in and allowed, 404 where the operation addresses an
    object (a row the user may not see is a 404 too) or a page, and 415 where it reads a body.
    """

    def _error(self, name, schema, description):
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name)
        self.registry.register_on_missing(component)
        return {"description": description, "content": {"application/json": {"schema": component.ref}}}

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return operation
        parameters = operation.get("parameters", [])
        errors = {}
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        if writes or "requestBody" in operation or any(parameter["in"] == "query" for parameter in parameters):
            errors["400"] = self._error(
                "ValidationError", VALIDATION_ERROR_SCHEMA, "The input is not valid, or the change is not allowed now."
            )
        if any(not issubclass(cls, permissions.AllowAny) for cls in self.view.permission_classes):
            errors["401"] = self._error("Error", ERROR_SCHEMA, "No valid credentials were given.")
            errors["403"] = self._error("Error", ERROR_SCHEMA, "The user may not do this.")
        if any(parameter["in"] == "path" or parameter["name"] == "page" for parameter in parameters):
            errors["404"] = self._error("Error", ERROR_SCHEMA, "No such object visible to the user, or no such page.")
        if "requestBody" in operation:
            errors["415"] = self._error("Error", ERROR_SCHEMA, "The body is not in a media type the API reads.")
        responses = operation.setdefault("responses", {})
        for code, response in errors.items():
            responses.setdefault(code, response)
        return operation
