"""How every API list is filtered and paginated (REST_FRAMEWORK's defaults).

Kept apart from apps/core/api.py: DRF reads these settings while its generic views are still being
imported, so this module must not import them.
"""

from django_filters import filters
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework import exceptions, pagination

from .filters import PortalFilterSet


class PortalFilterBackend(DjangoFilterBackend):
    """The pages' FilterSets, read as strictly as the API's schema describes them.

    A page's filter form sends every field, the empty ones as ``""`` meaning "any"; an API client
    leaves a filter out instead. So the API refuses an empty value for a filter of a number, a date,
    a choice or a row's id, and anything but ``true`` or ``false`` for a yes-or-no filter. Free text,
    and rows named by a slug or code, may still be empty.
    """

    filterset_base = PortalFilterSet

    @staticmethod
    def _may_be_empty(filter_):
        if isinstance(filter_, filters.ModelChoiceFilter):
            return filter_.extra.get("to_field_name") not in (None, "id", "pk")
        return type(filter_) is filters.CharFilter

    def _loose_values(self, request, filterset):
        errors = {}
        for name, filter_ in filterset.filters.items():
            for value in request.query_params.getlist(name):
                if isinstance(filter_, filters.BooleanFilter) and value not in ("true", "false"):
                    errors[name] = ["Give true or false."]
                elif value == "" and not self._may_be_empty(filter_):
                    errors[name] = ["Give a value, or leave this filter out."]
        return errors

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        errors = self._loose_values(request, filterset)
        if errors:
            raise exceptions.ValidationError(errors)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset.qs


class PortalPagination(pagination.PageNumberPagination):
    """Pages of 50 (PAGE_SIZE); an empty or unknown ``page`` is a 404, as a page past the last is."""

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise exceptions.NotFound(self.invalid_page_message.format(page_number="", message="No page number."))
        return super().get_page_number(request, paginator)
