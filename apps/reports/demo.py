"""The last two months' reports, computed and published, and their Joint Committee pack (DEBUG only)."""

from apps.accounts.models import User
from apps.core.periods import add_months

from . import services
from .models import CommitteePack, MonthlyReport


def load(*, password) -> str:
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return "no reports (no admin user)"
    latest = services.last_month()
    published = packs = 0
    for period in (add_months(latest, -1), latest):
        if not MonthlyReport.objects.filter(period=period, status=MonthlyReport.Status.PUBLISHED).exists():
            services.reports_compute_here(period=period)
            for report in MonthlyReport.objects.filter(period=period, status=MonthlyReport.Status.READY):
                services.report_publish(user=admin, report=report)
                published += 1
        if not CommitteePack.objects.filter(period=period, status=CommitteePack.Status.READY).exists():
            # Built here and now (not queued), so that the pack is there when the demo opens.
            pack, _ = CommitteePack.objects.get_or_create(period=period, defaults={"requested_by": admin})
            services.pack_build(pack_id=pack.pk)
            packs += 1
    return f"{published} monthly reports computed and published, {packs} committee packs built"
