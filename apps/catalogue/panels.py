"""What the catalogue shows on the dashboard and on a partner's page."""

from itertools import groupby

from . import selectors


def services_taken(user, partner):
    subscriptions = selectors.partner_services(user=user, partner=partner).order_by(
        "service__area__display_order", "service__name"
    )
    by_area = [(area, list(subs)) for area, subs in groupby(subscriptions, key=lambda s: s.service.area)]
    return {"partner": partner, "by_area": by_area}


def my_services(user):
    if not user.partner_id:
        return None
    return services_taken(user, user.partner)


def open_requests(user):
    requests = list(selectors.commissioning_request_list(user=user).open()[:10])
    if not requests and user.partner_id is None:
        return None
    return {"requests": requests}
