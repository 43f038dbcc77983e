from crispy_forms_gds.helper import FormHelper
from django import forms


class GovukFormMixin:
    """Renders a form in the GOV.UK style; the page template draws the error summary and buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.form_show_errors = True
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PortalForm(GovukFormMixin, forms.Form):
    pass


class PortalModelForm(GovukFormMixin, forms.ModelForm):
    pass


def apply_validation_error(form, error) -> None:
    """Show a service's ValidationError on the form, field by field where it names fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class AuditFilterForm(PortalForm):
    model = forms.ChoiceField(required=False, label="Kind of record")
    user = forms.CharField(required=False, label="Changed by (user name)")
    since = forms.DateField(required=False, label="From")
    until = forms.DateField(required=False, label="To")

    def __init__(self, *args, models=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", "Any record"), *((m.label, m.name.capitalize()) for m in models)]
        self.helper.form_method = "get"
