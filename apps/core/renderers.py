"""The forms' renderer (``FORM_RENDERER``): Django's, with a select's options drawn in Python.

Django draws a select through its templates, and each option through two more (``select_option.html`` and
``attrs.html``). A filter naming every partner has over 300 options: drawn that way it took most of the
entry grid's time. ``render_select`` writes the very HTML those templates write, escaped the same way; a
widget whose options name another template is still drawn by its templates.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """``attrs.html``: each attribute that is not False; a True one by its name alone."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _option(option: dict) -> str:
    return format_html('<option value="{}"{}>{}</option>', option["value"], _attrs(option["attrs"]), option["label"])


def render_select(widget: dict) -> str:
    """``select.html`` and its options, as Django's templates draw them."""
    parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        parts.extend(f"\n  {_option(option)}\n" for option in options)  # select_option.html ends in a newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above went through format_html


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
