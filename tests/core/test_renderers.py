"""A select drawn by the portal's renderer is the HTML Django's templates draw, option for option."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from apps.core.renderers import PortalFormRenderer
from apps.kpis.forms import GridFilterForm
from tests.factories import PartnerFactory, SubscriptionFactory

CHOICES = [
    ("", "All partners"),
    ("havering", "Havering"),
    ("b&q", 'Barking & "Dagenham" <Council>'),
    ("Groups", [("1", "One"), ("2", "Two")]),
    (3, "A number"),
]


class Chooser(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    marked = forms.ChoiceField(
        choices=CHOICES, widget=forms.Select(attrs={"class": "govuk-select", "data-x": "a<b", "disabled": True})
    )


@pytest.mark.parametrize(
    "data",
    [{}, {"one": "b&q", "many": ["havering", "2", "3"], "marked": "1"}, {"one": "nowhere", "marked": ""}],
)
def test_a_select_is_drawn_as_djangos_templates_draw_it(data):
    for name in ("one", "many", "marked"):
        drawn = {
            renderer: Chooser(data or None, renderer=renderer())[name].as_widget()
            for renderer in (DjangoTemplates, PortalFormRenderer)
        }
        assert drawn[PortalFormRenderer] == drawn[DjangoTemplates]
        assert "<option" in drawn[PortalFormRenderer]


def test_a_select_whose_options_name_another_template_is_drawn_by_it():
    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    class Form(forms.Form):
        one = forms.ChoiceField(choices=CHOICES, widget=Marked)

    drawn = Form(renderer=PortalFormRenderer())["one"].as_widget()
    assert drawn == Form(renderer=DjangoTemplates())["one"].as_widget()
    assert "<option" not in drawn


@pytest.mark.django_db
def test_the_entry_grids_partner_filter_is_drawn_as_before():
    """The filter of every partner taking a service, the select this renderer was written for."""
    for name in ("Havering", "Newham & Bexley", "<Script>"):
        SubscriptionFactory(partner=PartnerFactory(name=name, short_name=name[:8]))
    chosen = {"month": "2016-05", "partner": ""}
    drawn = {
        renderer: GridFilterForm(chosen, renderer=renderer())["partner"].as_widget()
        for renderer in (DjangoTemplates, PortalFormRenderer)
    }
    assert drawn[PortalFormRenderer] == drawn[DjangoTemplates]
    assert "Newham &amp; Bexley" in drawn[PortalFormRenderer]
    assert "&lt;Script&gt;" in drawn[PortalFormRenderer]
