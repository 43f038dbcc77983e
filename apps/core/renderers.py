"""The forms' renderer (``FORM_RENDERER``): Django's, with a select's options drawn in Python.

Django draws a select through its templates, and each option through two more (``select_option.html`` and
``attrs.html``). A filter naming every partner has over 300 options: drawn that way it took most of the
entry grid's time. ``render_select`` writes the very HTML those templates write, escaped the same way; a
widget whose options name another template is still drawn by its templates.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """``attrs.html``: each attribute that is not False; a True one by its name alone."""
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{conditional_escape(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _option(option: dict) -> str:
    # Plain f-strings of escaped values: format_html, called for each of 300 options, was most of the cost.
    value, label = conditional_escape(option["value"]), conditional_escape(option["label"])
    return f'<option value="{value}"{_attrs(option["attrs"])}>{label}</option>'


def render_select(widget: dict) -> str:
    """``select.html`` and its options, as Django's templates draw them."""
    parts = [format_html('<select name="{}"{}>', widget["name"], mark_safe(_attrs(widget["attrs"])))]  # noqa: S308 - escaped
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        parts.extend(f"\n  {_option(option)}\n" for option in options)  # select_option.html ends in a newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above was escaped


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if (
            template_name == SELECT
            and widget is not None
            and all(option["template_name"] == OPTION for _, options, _ in widget["optgroups"] for option in options)
        ):
            return render_select(widget)
        return super().render(template_name, context, request=request)
