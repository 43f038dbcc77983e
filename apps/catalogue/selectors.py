from collections import defaultdict

from django.db.models import Prefetch

from apps.partners.models import Partner

from .models import CommissioningRequest, CostShare, Service, ServiceArea, Subscription

#: The generation (``apps.core.generations``) of who takes which service when: bumped at every change of a
#: subscription, a service (its area) or a partner (its name). What is worked out from them alone, as the
#: cells of the KPI entry grid, is kept under it.
SUBSCRIPTIONS = "catalogue:subscriptions"


def service_list(*, user):
    return Service.objects.visible_to(user).select_related("area", "lead_officer")


def service_detail(*, user, slug: str):
    """The service and the subscriptions of it the user may see (their own partner's only)."""
    subscriptions = Subscription.objects.visible_to(user).select_related("partner").order_by("partner__name")
    return (
        Service.objects.visible_to(user)
        .select_related("area__director", "lead_officer")
        .prefetch_related(Prefetch("subscriptions", queryset=subscriptions, to_attr="visible_subscriptions"))
        .get(slug=slug)
    )


def area_detail(*, user, code: str):
    services = Service.objects.visible_to(user).select_related("lead_officer")
    return (
        ServiceArea.objects.visible_to(user)
        .select_related("director")
        .prefetch_related(Prefetch("services", queryset=services))
        .get(code=code)
    )


def subscription_list(*, user):
    return Subscription.objects.visible_to(user).select_related("partner", "service__area", "service__lead_officer")


def partner_services(*, user, partner: Partner):
    """The services a partner takes now, by area, as the user may see them."""
    return subscription_list(user=user).current().filter(partner=partner)


def service_matrix(*, user) -> dict:
    """Partners (rows) × service areas (columns): how many of an area's services each partner takes now.

    Two queries whatever the number of partners and areas.
    """
    areas = list(ServiceArea.objects.visible_to(user).order_by("display_order"))
    partners = list(Partner.objects.visible_to(user).active())
    counts = defaultdict(int)
    for partner_id, area_id in subscription_list(user=user).current().values_list("partner_id", "service__area_id"):
        counts[partner_id, area_id] += 1
    rows = [
        {"partner": partner, "cells": [{"area": area, "count": counts[partner.pk, area.pk]} for area in areas]}
        for partner in partners
    ]
    return {"areas": areas, "rows": rows}


def commissioning_request_list(*, user):
    return CommissioningRequest.objects.visible_to(user).select_related(
        "partner", "service__area", "requested_by", "decided_by"
    )


def cost_share_list(*, user):
    return CostShare.objects.visible_to(user).select_related("area", "partner")
