from crispy_forms_gds.helper import FormHelper
from django import forms
from django.forms.utils import pretty_name

from .widgets import use_date_input


class GovukFormMixin:
    """Renders a form in the GOV.UK style; the page template draws the error summary and buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.form_show_errors = True
        for name, field in self.fields.items():
            name_errors(field, name)
            if isinstance(field, forms.DateField):
                use_date_input(field)


def name_errors(field, name) -> None:
    """Error messages that name the field, as the GOV.UK Design System asks ("Enter the start date",
    not "This field is required."); messages a form sets itself are kept."""
    label = str(field.label or pretty_name(name))
    subject = label[0].lower() + label[1:] if label[:2] != label[:2].upper() else label
    if not subject.startswith(("the ", "a ", "an ", "your ")):
        subject = f"the {subject}"
    defaults = forms.Field.default_error_messages
    if field.error_messages.get("required") == defaults["required"]:
        if label.endswith("?"):
            field.error_messages["required"] = f"Answer “{label}”"
        else:
            choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField)
            field.error_messages["required"] = f"{'Select' if choose else 'Enter'} {subject}"
    invalid = field.error_messages.get("invalid")
    if isinstance(field, forms.DateField) and invalid == forms.DateField.default_error_messages["invalid"]:
        field.error_messages["invalid"] = f"{label} must be a real date, for example 27 3 2017"
    if isinstance(field, forms.DecimalField | forms.IntegerField) and invalid in (
        forms.DecimalField.default_error_messages["invalid"],
        forms.IntegerField.default_error_messages["invalid"],
    ):
        field.error_messages["invalid"] = f"{label} must be a number"


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
