"""Messages that name their field stay readable whatever the field's label holds."""

from decimal import Decimal

from django import forms

from apps.core.forms import PortalForm


class ShareForm(PortalForm):
    share = forms.DecimalField(max_digits=5, decimal_places=2, label="Share of each area's cost (%)")


def test_a_label_with_a_per_cent_sign_names_the_field_in_a_refused_value():
    """Found by the page fuzz: "Infinity" in a field labelled "(%)" broke the message and gave a 500."""
    for value in ("Infinity", "NaN", "abc"):
        form = ShareForm(data={"share": value})
        assert not form.is_valid()
        assert form.errors["share"] == ["Share of each area's cost (per cent) must be a number"], value
    form = ShareForm(data={"share": "12.5"})
    assert form.is_valid() and form.cleaned_data["share"] == Decimal("12.5")


def test_every_constraint_message_can_be_shown():
    """Django fills a constraint's message with %-formatting: a bare "%" in one turns a refused value into a
    500 instead of the message (a cost share of "-0" did)."""
    from django.apps import apps as django_apps

    for model in django_apps.get_models():
        for constraint in model._meta.constraints:
            assert constraint.get_violation_error_message(), f"{model.__name__}: {constraint.name}"
