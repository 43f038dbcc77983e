import datetime as dt
import re

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone

from apps.accounts.models import User
from apps.catalogue.models import Subscription
from apps.core.forms import InputPolicyFormMixin, MonthField, PortalForm, PortalModelForm, read_query
from apps.core.periods import (
    FinancialYear,
    completed_months,
    financial_year_choices,
    month_from_text,
    month_label,
)
from apps.core.roles import STAFF_ROLES, Role
from apps.partners.models import Partner

from .imports import ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES
from .models import KPI


def month_choices(count: int = 36, shown: dt.date | None = None) -> list[tuple[str, str]]:
    """The completed months, newest first; the month a page shows is kept in the list even when older."""
    months = completed_months(count)
    if shown and shown not in months:
        months.append(shown)
    return [(m.strftime("%Y-%m"), month_label(m)) for m in months]


def month_in_query(params, default: dt.date | None) -> dt.date | None:
    """The ``month`` a page was asked for, or ``default`` when it is left out; a bad one is a 400 (QueryError)."""
    return read_query(MonthForm(params))["month"] or default


class MonthForm(PortalForm):
    """Chooses what a page shows, in its query string: no CSRF token goes into the address."""

    month = MonthField(label="Month", choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        try:  # a month asked for outside the list is offered too; a bad one is the field's error
            shown = month_from_text(self.initial.get("month") or (self.data or {}).get("month") or "")
        except ValueError:
            shown = None
        self.fields["month"].choices = month_choices(shown=shown)


class PartnerOptions(forms.models.ModelChoiceIterator):
    """A partner's option read as its slug and name (its ``str``), not as a row: over 300 partners,
    making each a model instance cost more than the query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("slug", "name").iterator()


class PartnerChoiceField(forms.ModelChoiceField):
    """A partner chosen by its slug."""

    iterator = PartnerOptions

    def __init__(self, *args, **kwargs):
        super().__init__(*args, to_field_name="slug", **kwargs)


class ScorecardForm(MonthForm):
    partner = PartnerChoiceField(queryset=Partner.objects.none(), empty_label=None)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners


class GridFilterForm(MonthForm):
    """Which month of the entry grid, and whose figures: every partner's, or one partner's return."""

    partner = PartnerChoiceField(
        label="Partner",
        # Over 300 partners at scale: only what the options and the chosen partner's return show, and
        # those taking a service found by EXISTS (a join made DISTINCT cost five times as much).
        queryset=Partner.objects.filter(Exists(Subscription.objects.filter(partner=OuterRef("pk"))))
        .only("pk", "slug", "name")
        .order_by("name"),
        required=False,
        empty_label="All partners",
    )


GRID_CELL = re.compile(r"^(?P<key>c\d+-\d+)-(?:value|numerator|denominator|commentary)$")


class GridForm(InputPolicyFormMixin, forms.Form):
    """The cells of the entry grid, a number field per figure and a commentary per row.

    Cells of approved figures are left out: an approved figure is changed on its own page, which
    sends it back for approval.
    """

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            if row.is_locked:
                continue
            m = row.measurement
            label = f"{row.kpi.code} {row.partner.short_name}"
            names = ("numerator", "denominator") if row.kpi.is_rate else ("value",)
            for name in names:
                self.fields[f"{row.key}-{name}"] = forms.DecimalField(
                    label=f"{label} {name}",
                    required=False,
                    max_digits=18,
                    decimal_places=4,
                    initial=getattr(m, name) if m else None,
                    localize=False,
                )
            self.fields[f"{row.key}-commentary"] = forms.CharField(
                label=f"{label} commentary",
                required=False,
                widget=forms.Textarea,  # a class, not an instance: nothing to deep-copy for each of a page's rows
                initial=m.commentary if m else "",
            )

    def clean(self):
        # A cell posted that is not on this page: the page was opened for other rows (another page, partner
        # or month, or rows that changed since). Saving the rest would silently drop it, so nothing is saved.
        keys = {row.key for row in self.rows}
        if any((cell := GRID_CELL.match(name)) and cell["key"] not in keys for name in self.data):
            raise forms.ValidationError(
                "The rows of this page have changed since it was opened, so nothing was saved. "
                "Check the figures below and save again."
            )
        return super().clean()

    def bound(self, row, name):
        return self[f"{row.key}-{name}"]


class ReturnForm(PortalForm):
    reason = forms.CharField(
        label="Why is it returned?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the figure is returned"},
    )


class MeasurementChangeForm(PortalForm):
    value = forms.DecimalField(required=False, max_digits=18, decimal_places=4)
    numerator = forms.DecimalField(required=False, max_digits=18, decimal_places=4)
    denominator = forms.DecimalField(required=False, max_digits=18, decimal_places=4)
    commentary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kpi, **kwargs):
        super().__init__(*args, **kwargs)
        if kpi.is_rate:
            del self.fields["value"]
            self.fields["numerator"].label = kpi.numerator_label
            self.fields["denominator"].label = kpi.denominator_label
        else:
            del self.fields["numerator"]
            del self.fields["denominator"]
            self.fields["value"].label = f"Value ({kpi.get_unit_display().lower()})"
        # The helper laid out every declared field; lay it out again for the ones this KPI uses.
        self.helper = FormHelper(self)
        self.helper.form_tag = False


class ImportForm(PortalForm):
    file = forms.FileField(
        label="CSV or Excel file",
        help_text=f"A .csv or .xlsx file of at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB, "
        "with the template's columns.",
    )
    # An officer uploading the month's spreadsheet means to make the return: submitting is the default,
    # and keeping them as drafts to check first is the choice to make on purpose.
    submit = forms.TypedChoiceField(
        label="What happens to the figures",
        choices=[("yes", "Submit them for approval"), ("no", "Save them as drafts, to check before submitting")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
        error_messages={"required": "Select whether to submit the figures or save them as drafts"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_EXTENSIONS):
            raise forms.ValidationError("The file must be a CSV (.csv) or Excel (.xlsx) file.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / (1024 * 1024):.1f} MB; "
                f"the most it can be is {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
            )
        return upload


class TargetForm(PortalForm):
    financial_year = forms.TypedChoiceField(coerce=int, choices=(), label="Financial year")
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.all(), required=False, empty_label="Every partner", to_field_name="slug"
    )
    is_onesource = forms.BooleanField(
        required=False,
        label="For oneSource as a whole",
        help_text="Leave the partner as “Every partner”. Without one, oneSource's target is worked out from "
        "the partners' targets by the KPI's rule: their sum, their mean, or weighted by the denominators.",
    )
    value = forms.DecimalField(max_digits=18, decimal_places=4, label="Target")
    tolerance = forms.DecimalField(
        max_digits=18,
        decimal_places=4,
        min_value=0,
        initial=0,
        label="Amber tolerance",
        help_text="A figure that misses the target by no more than this is amber, in the KPI's unit.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = financial_year_choices()
        self.fields["financial_year"].initial = FinancialYear.of(timezone.localdate()).start_year


class KPIForm(PortalModelForm):
    class Meta:
        model = KPI
        fields = [
            "code",
            "name",
            "definition",
            "area",
            "service",
            "unit",
            "polarity",
            "frequency",
            "is_rate",
            "numerator_label",
            "denominator_label",
            "aggregation",
            "decimal_places",
            "data_owner",
            "is_active",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role != Role.ADMIN:
            self.fields["area"].queryset = user.service_areas.all()
        self.fields["data_owner"].queryset = User.objects.filter(role__in=STAFF_ROLES, is_active=True)
