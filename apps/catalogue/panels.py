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
    """A partner officer's summary of what their council takes; the detail is on the partner page."""
    if not user.partner_id:
        return None
    taken = selectors.partner_services(user=user, partner=user.partner)
    areas = sorted({s.service.area.name for s in taken})
    return {"partner": user.partner, "service_count": len(taken), "areas": areas}


def open_requests(user):
    requests = list(selectors.commissioning_request_list(user=user).open()[:10])
    if not requests and user.partner_id is None:
        return None
    return {"requests": requests}
