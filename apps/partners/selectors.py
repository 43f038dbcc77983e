from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from .models import Contact, Partner


def partner_list(*, user):
    today = timezone.localdate()
    return (
        Partner.objects.visible_to(user)
        .order_by("joined_on", "name")
        .annotate(
            current_service_count=Count(
                "subscriptions",
                filter=Q(subscriptions__starts_on__lte=today)
                & (Q(subscriptions__ends_on__isnull=True) | Q(subscriptions__ends_on__gte=today)),
            )
        )
    )


def partner_detail(*, user, slug: str) -> Partner:
    """The partner with its contacts; raises Partner.DoesNotExist when the user may not see it."""
    contacts = Contact.objects.visible_to(user).order_by("responsibility", "name")
    return Partner.objects.visible_to(user).prefetch_related(Prefetch("contacts", queryset=contacts)).get(slug=slug)
