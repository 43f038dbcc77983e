"""The generation of the figures readers outside oneSource see: the approved ones.

Partner officers and the committee see a figure only once its director has approved it
(``MeasurementQuerySet.visible_to``), so what their lists count changes only when a figure is
approved, or an approved one changes or goes back for approval, or a KPI, partner or service area they
filter the figures by changes. Figures entered and saved as drafts, all month long, leave it as it is.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from apps.core import generations

GENERATION = "kpis:published"


def _measurement_changed(sender, instance, created=False, **kwargs):
    # A figure read from the database knows the status it was read with; a new one had none; one saved
    # or deleted without it (built from its history, say) may have been approved. (An import writes in
    # bulk, sending no signal, but never an approved figure: it refuses to.)
    approved = sender.Status.APPROVED
    was = getattr(instance, "stored_status", None if created else approved)
    if approved in (instance.status, was):
        generations.bump(GENERATION)
    instance.stored_status = instance.status


def _areas_changed(**kwargs):
    # A member of staff's service areas decide which figures they read: oneSource's line of a KPI page
    # is kept under the SQL of their figures, which names them, not their areas.
    generations.bump(GENERATION)


def watch() -> None:
    """Bump the generation at every change that can change what readers see (the app's ``ready()``)."""
    from django.contrib.auth import get_user_model

    from apps.catalogue.models import ServiceArea
    from apps.partners.models import Partner

    from .models import KPI, Measurement

    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_measurement_changed, sender=Measurement, dispatch_uid=f"published-measurement-{name}")
    m2m_changed.connect(
        _areas_changed, sender=get_user_model().service_areas.through, dispatch_uid="published-service-areas"
    )
    generations.watch(GENERATION, KPI, Partner, ServiceArea)
