from django import template
from django.utils.html import format_html

from apps.core.money import format_money, format_money_short
from apps.savings.models import Status

register = template.Library()

TAG_COLOURS = {
    Status.ON_TRACK: "govuk-tag--green",
    Status.ACHIEVED: "govuk-tag--green",
    Status.OVER_ACHIEVED: "govuk-tag--turquoise",
    Status.AT_RISK: "govuk-tag--yellow",
    Status.SLIPPED: "govuk-tag--orange",
    Status.NOT_ACHIEVABLE: "govuk-tag--red",
}


@register.filter
def money(value):
    return format_money(value)


@register.filter
def money_short(value):
    return format_money_short(value)


@register.simple_tag
def status_tag(status):
    if not status:
        return format_html('<strong class="govuk-tag govuk-tag--grey">{}</strong>', "No update yet")
    return format_html('<strong class="govuk-tag {}">{}</strong>', TAG_COLOURS[status], Status(status).label)
