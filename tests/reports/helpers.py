from apps.reports import services
from apps.reports.models import MonthlyReport


def generate(period):
    """Queue and compute a month's reports in this process, in the batches the month's tasks take."""
    services.reports_compute_here(period=period)
    return {r.partner.slug if r.partner_id else "onesource": r for r in MonthlyReport.objects.filter(period=period)}


def publish_all(period, admin):
    reports = generate(period)
    return {scope: services.report_publish(user=admin, report=report) for scope, report in reports.items()}
