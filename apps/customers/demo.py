"""Illustrative enquiries, feedback and an improvement action for the demo users."""

import datetime as dt

from django.apps import apps
from django.utils import timezone

from apps.catalogue.models import Subscription

from . import services
from .models import Enquiry, Feedback, ImprovementAction


def load(*, password: str) -> str:
    if Enquiry.objects.exists():
        return "enquiries already present"
    User = apps.get_model("accounts", "User")
    newham = User.objects.get(username="officer.newham")
    officer = User.objects.get(username="officer.exchequer")
    taken = Subscription.objects.filter(partner=newham.partner, service__area__code="EXT").select_related("service")
    service = taken.first().service if taken.exists() else None
    if service is None:
        return "no Exchequer service taken by Newham: no demo enquiries"
    now = timezone.now()
    first = services.enquiry_raise(
        user=newham,
        service=service,
        subject="Duplicate direct debit taken in October",
        details="Two residents report that their direct debit was collected twice on 15 October.",
        priority="high",
        now=now - dt.timedelta(days=6),
    )
    services.enquiry_reply(
        user=officer,
        enquiry=first,
        body="We are checking the collection file with the bank and will refund any duplicate.",
        now=now - dt.timedelta(days=5),
    )
    services.enquiry_update(user=officer, enquiry=first, status="resolved", now=now - dt.timedelta(days=2))
    services.enquiry_rate(user=newham, enquiry=first, score=4, comment="Quick and clear, thank you.")
    services.enquiry_raise(
        user=newham,
        service=service,
        subject="Year-end reconciliation timetable",
        details="Please confirm the dates for the year-end reconciliation.",
        now=now - dt.timedelta(days=1),
    )
    admin = User.objects.get(username="admin")
    services.feedback_log(
        user=admin,
        partner=newham.partner,
        service=service,
        source=Feedback.Source.WORKSHOP,
        score=3,
        comment="Monthly reports arrive too late for the finance meeting.",
        received_on=timezone.localdate() - dt.timedelta(days=10),
    )
    services.improvement_action_save(
        user=admin,
        service=service,
        partner=newham.partner,
        origin=ImprovementAction.Origin.ENQUIRY,
        enquiry=first,
        learnt="Collection files are not checked for duplicates before submission.",
        action="Add a duplicate check to the collection run and a second sign-off.",
        owner=officer,
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    return "2 enquiries, 2 feedback responses and an improvement action"
