from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def kpi_format(kpi, value):
    return kpi.format(value)


@register.filter
def field_label(form, name):
    return form.fields[name].label if name in form.fields else name


@register.simple_tag
def grid_field(form, row, name, label):
    """One cell of the entry grid: a labelled input, marked and described when it has an error."""
    field = form[f"{row.key}-{name}"]
    errors = field.errors
    error_id = f"{field.id_for_label}-error"
    value = field.value()
    value = "" if value is None else value
    error_html = (
        format_html(
            '<p class="govuk-error-message" id="{}"><span class="govuk-visually-hidden">Error:</span> {}</p>',
            error_id,
            " ".join(errors),
        )
        if errors
        else ""
    )
    described = format_html(' aria-describedby="{}"', error_id) if errors else ""
    error_class = " govuk-input--error" if errors else ""
    group_class = " govuk-form-group--error" if errors else ""
    label_html = format_html(
        '<label class="govuk-label govuk-body-s" for="{}">{}'
        '<span class="govuk-visually-hidden"> for {} {}</span></label>',
        field.id_for_label,
        label,
        row.kpi.code,
        row.partner.short_name,
    )
    if name == "commentary":
        control = format_html(
            '<textarea class="govuk-textarea{}" id="{}" name="{}" rows="2"{}>{}</textarea>',
            error_class.replace("input", "textarea"),
            field.id_for_label,
            field.html_name,
            described,
            value,
        )
    else:
        control = format_html(
            '<input class="govuk-input govuk-input--width-10{}" id="{}" name="{}" type="text" inputmode="decimal" '
            'spellcheck="false" value="{}"{}>',
            error_class,
            field.id_for_label,
            field.html_name,
            value,
            described,
        )
    return format_html('<div class="govuk-form-group{}">{}{}{}</div>', group_class, label_html, error_html, control)
