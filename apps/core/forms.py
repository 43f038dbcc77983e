from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import BadRequest
from django.core.validators import MaxValueValidator
from django.forms.utils import pretty_name

from .inputs import bound_form_field, normalise_zeros
from .periods import month_from_text
from .widgets import use_date_input


class InputPolicyFormMixin:
    """Every field of the form is bounded by the input policy (apps/core/inputs.py); -0 is read as 0."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bound_form_field(field)

    def _clean_fields(self):
        super()._clean_fields()
        normalise_zeros(self.cleaned_data)


class GovukFormMixin(InputPolicyFormMixin):
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
    # A "%" in a message would be read as a format character when Django fills in its parameters.
    label = str(field.label or pretty_name(name)).replace("(%)", "(per cent)").replace("%", " per cent")
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


class MonthField(forms.ChoiceField):
    """A month as ``YYYY-MM``, offered as a list of recent months; any month in the portal's dates is read.

    Cleans to the month's first day, or None when left empty.
    """

    def validate(self, value):
        if value in self.empty_values:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return
        try:
            month_from_text(value)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid_month") from None

    def clean(self, value):
        value = super().clean(value)
        return month_from_text(value) if value not in self.empty_values else None


class PageForm(PortalForm):
    """The page of a list a page asks for in its query string."""

    page = forms.IntegerField(required=False, min_value=1, label="Page")

    def __init__(self, *args, last: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].max_value = last
        self.fields["page"].validators.append(MaxValueValidator(last))


class QueryError(BadRequest):
    """A page's query string holds a value its form refuses: answered 400 with the GOV.UK error summary."""

    def __init__(self, form):
        self.errors = [
            (form.fields[name].label or name.replace("_", " ").capitalize() if name in form.fields else "", messages)
            for name, messages in form.errors.items()
        ]
        super().__init__("; ".join(message for _, messages in self.errors for message in messages))


def read_query(form) -> dict:
    """The cleaned values of a form bound to a page's query string; a parameter left out is not required.

    A value given but refused raises QueryError, so the page answers 400 with the error summary
    instead of silently showing something else.
    """
    for name, field in form.fields.items():
        if name not in form.data:
            field.required = False
    if not form.is_valid():
        raise QueryError(form)
    return form.cleaned_data
