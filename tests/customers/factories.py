"""Enquiries are made through the services, so that their clocks are what the portal would set."""

import datetime as dt
from zoneinfo import ZoneInfo

from apps.customers import services

LONDON = ZoneInfo("Europe/London")


def at(year, month, day, hour=0, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


#: A Monday morning in an ordinary week (no bank holidays until Christmas).
MONDAY = at(2016, 11, 21, 9)


def raise_enquiry(world, partner="havering", service="payroll", *, now=MONDAY, **kwargs):
    user = world["users"][f"officer.{partner}"]
    data = {
        "subject": "Payslip missing for October",
        "details": "Three staff did not receive their October payslip.",
        "priority": "normal",
        **kwargs,
    }
    return services.enquiry_raise(user=user, service=world["services"][service], now=now, **data)
