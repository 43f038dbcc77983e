from django.db.models import Count, Prefetch
from django.utils import timezone

from apps.catalogue.models import in_force_q

from .models import Contact, Partner


def partner_list(*, user):
    today = timezone.localdate()
    return (
        Partner.objects.visible_to(user)
        .order_by("joined_on", "name")
        .annotate(
            current_service_count=Count(
                "subscriptions",
                filter=in_force_q(today, today, prefix="subscriptions__"),
            )
        )
    )


def partner_detail(*, user, slug: str) -> Partner:
    """The partner with its contacts; raises Partner.DoesNotExist when the user may not see it."""
    contacts = Contact.objects.visible_to(user).order_by("responsibility", "name")
    return Partner.objects.visible_to(user).prefetch_related(Prefetch("contacts", queryset=contacts)).get(slug=slug)
