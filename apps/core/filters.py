from copy import deepcopy

import django_filters
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.db import models
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .forms import InputPolicyFormMixin
from .widgets import YES_NO_EITHER, month_select, use_date_input


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """A whole number (a year, an id): ``2016.5`` is refused, not read as a number that matches nothing."""

    field_class = forms.IntegerField


def visible_choices(model):
    """The choices of a filter of rows: those the requesting user may see, so that a row they may not see
    is refused exactly as one that does not exist (ids and slugs cannot be told apart by the answer)."""

    def choices(request):
        user = getattr(request, "user", None)
        return model.objects.visible_to(user) if user is not None else model.objects.none()

    return choices


INTEGER_FIELDS = (
    models.AutoField,
    models.SmallIntegerField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
)


@extend_schema_field(OpenApiTypes.DATE)
class MonthFilter(django_filters.DateFilter):
    """A month, given by its first day; on a page, chosen from the completed months, newest first."""


class PortalFilterSet(django_filters.FilterSet):
    """A FilterSet shared by a list page and its API endpoint; its form renders in the GOV.UK style:
    yes/no filters as radios, dates as the GOV.UK date input, months from a select of completed months.
    The API reads the same parameters as before (``true``/``false``, ISO dates)."""

    FILTER_DEFAULTS = {
        **deepcopy(FILTER_FOR_DBFIELD_DEFAULTS),
        **{field: {"filter_class": IntegerFilter} for field in INTEGER_FIELDS},
    }

    def get_form_class(self):
        """The filter form, its fields bounded by the input policy like every other form's."""
        form_class = super().get_form_class()
        return type(form_class.__name__, (InputPolicyFormMixin, form_class), {})

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            for name, filter_ in self.filters.items():
                field = form.fields.get(name)
                if field is None:
                    continue
                if isinstance(filter_, django_filters.BooleanFilter):
                    field.widget = forms.RadioSelect(choices=YES_NO_EITHER)
                elif isinstance(filter_, MonthFilter):
                    field.widget = month_select()
                elif isinstance(filter_, django_filters.DateFilter):
                    use_date_input(field)
            form.helper = FormHelper(form)
            form.helper.form_tag = False
            form.helper.form_show_errors = True
        return form
