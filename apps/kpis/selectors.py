"""Reads of KPIs, targets and measurements: restricted to what the user may see, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from apps.catalogue.models import Subscription
from apps.partners.models import Partner

from .models import KPI


def _current_on(day: dt.date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def partners_measured(*, kpi: KPI, period: dt.date):
    """The partners that take the KPI's service (or any service of its area) in that month."""
    subscriptions = Subscription.objects.filter(_current_on(period))
    if kpi.service_id:
        subscriptions = subscriptions.filter(service_id=kpi.service_id)
    else:
        subscriptions = subscriptions.filter(service__area_id=kpi.area_id)
    return Partner.objects.filter(pk__in=subscriptions.values("partner_id")).order_by("name")
