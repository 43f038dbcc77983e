import django_filters
from crispy_forms_gds.helper import FormHelper


class PortalFilterSet(django_filters.FilterSet):
    """A FilterSet shared by a list page and its API endpoint; its form renders in the GOV.UK style."""

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            form.helper = FormHelper(form)
            form.helper.form_tag = False
            form.helper.form_show_errors = True
        return form
