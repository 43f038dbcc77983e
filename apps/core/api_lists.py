"""How every API list is filtered and paginated (REST_FRAMEWORK's defaults).

Kept apart from apps/core/api.py: DRF reads these settings while its generic views are still being
imported, so this module must not import them.
"""

import functools
import hashlib

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django_filters import filters
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework import exceptions, pagination

from . import generations
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


class KeptCountPaginator(Paginator):
    """A paginator whose count is kept in the cache under the generation of the rows it counts.

    ``generation`` names the ``apps.core.generations`` generation of every row the list can show; the
    count is kept under it and under the list's own SQL (its filters and the reader's scope), so two
    lists share a count only when they are the same query. Without a generation it counts each time.
    """

    def __init__(self, *args, generation: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.generation = generation

    @cached_property
    def count(self):
        if self.generation is None:
            return Paginator.count.func(self)
        try:
            sql, params = self.object_list.query.sql_with_params()
        except EmptyResultSet:  # a filter that can match nothing (no rows of a RAG rating): no query to ask
            return 0
        digest = hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()
        return generations.kept(self.generation, f"api-count:{digest}", lambda: Paginator.count.func(self))


class LongListPagination(PortalPagination):
    """Pages of a list of millions of rows, as PortalPagination's, found by their keys first.

    A page of the figures, newest month first and then by KPI code and partner name, must sort a whole
    month of rows (some 30,000 at 300 partners) to find its 50. Reading whole rows for that reads 30,000
    rows off the table; reading their keys alone reads them off an index (``measurement_status_period``
    includes them). So the page's keys are found first, in the list's order, and then its 50 rows.

    The view's ``count_generation()`` names the generation of what the list shows to this user, or
    gives None: a list read by many (every figure the committee sees) is counted once per change of its rows
    (``KeptCountPaginator``) instead of at every page.
    """

    def paginate_queryset(self, queryset, request, view=None):
        generation = view.count_generation() if view is not None and hasattr(view, "count_generation") else None
        self.django_paginator_class = functools.partial(KeptCountPaginator, generation=generation)
        keys = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        if keys is None:
            return None
        rows = queryset.in_bulk(keys)
        return [rows[key] for key in keys if key in rows]
