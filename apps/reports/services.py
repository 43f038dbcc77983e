"""Writes of monthly reports and packs: request, compute, publish, revise; build the committee pack.

Work that takes time runs in Celery tasks (``tasks.py``), enqueued when the transaction that asked
for it commits. Each service here is safe to run twice: a report computed again holds the same
figures, a published report is never recomputed.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import time
import traceback
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mass_mail
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from apps.catalogue.models import Subscription
from apps.core.periods import last_month as last_month  # the month reports are of, as callers name it here
from apps.core.periods import month_start, nth_working_day
from apps.core.policy import is_admin, role_of
from apps.core.roles import Role
from apps.partners.models import Contact, Partner

from . import compute
from .models import CommitteePack, MonthlyReport, PublishedReport

logger = logging.getLogger(__name__)

#: Reports of a month are computed on this working day of the month after.
REPORT_WORKING_DAY = 6


def reports_due_on(day: dt.date) -> bool:
    """Whether ``day`` is the 6th working day of its month, when last month's reports are generated."""
    return nth_working_day(month_start(day), REPORT_WORKING_DAY) == day


def partners_reported(period: dt.date):
    """The partners that take a service in that month: each has a report."""
    taking = Subscription.objects.in_force_in(period)
    return Partner.objects.filter(pk__in=taking.values("partner_id")).order_by("name")


def _check_period(period: dt.date) -> None:
    if period.day != 1:
        raise ValidationError({"period": "A report's month is given by its first day."})
    if period >= month_start(timezone.localdate()):
        raise ValidationError({"period": "A month can be reported once it has ended."})


#: Partners' reports computed by one task: enough for their scorecards to be read together, few enough
#: for a month's tasks to spread over every worker (oneSource's, the longest, is a task of its own).
REPORTS_PER_TASK = 25


def report_batches(reports: list[tuple[int, int | None]]) -> list[list[int]]:
    """The ids of (report id, partner id) pairs in the batches a month's tasks compute: oneSource's
    report first and alone, then partners' in batches of ``REPORTS_PER_TASK``."""
    whole = [pk for pk, partner_id in reports if partner_id is None]
    partners = [pk for pk, partner_id in sorted(reports, key=lambda r: r[1] or 0) if partner_id is not None]
    batches = [whole] if whole else []
    return batches + [partners[n : n + REPORTS_PER_TASK] for n in range(0, len(partners), REPORTS_PER_TASK)]


def _enqueue_generation(report_ids: list[int]) -> None:
    from .tasks import generate_report

    def send():
        for report_id in report_ids:
            generate_report.delay(report_id)

    transaction.on_commit(send)


def _enqueue_batches(batches: list[list[int]]) -> None:
    from .tasks import generate_reports

    def send():
        for batch in batches:
            generate_reports.delay(batch)

    transaction.on_commit(send)


@transaction.atomic
def reports_request(*, period: dt.date, user=None) -> list[int]:
    """Queue the month's reports: oneSource's and each partner's. Published ones stay as they are.

    Returns the ids of the reports queued; their computation starts when this transaction commits.
    """
    if user is not None and not is_admin(user):
        raise PermissionDenied("Only the performance team generates reports.")
    _check_period(period)
    scopes = [None, *partners_reported(period).values_list("pk", flat=True)]
    MonthlyReport.objects.bulk_create(
        [MonthlyReport(period=period, partner_id=partner_id) for partner_id in scopes], ignore_conflicts=True
    )
    drafts = (
        MonthlyReport.objects.order_by()
        .select_for_update(of=("self",))
        .filter(
            Q(partner__isnull=True) | Q(partner_id__in=scopes), period=period, status__in=MonthlyReport.DRAFT_STATUSES
        )
    )
    reports = list(drafts.values_list("pk", "partner_id"))
    ids = [pk for pk, _ in reports]
    MonthlyReport.objects.filter(pk__in=ids).update(
        status=MonthlyReport.Status.PENDING, error="", progress=0, requested_at=timezone.now()
    )
    _enqueue_batches(report_batches(reports))
    return ids


def reports_compute_here(*, period: dt.date) -> list[int]:
    """Request the month's reports and compute them in this process, in the batches its tasks take (the
    demo data, which needs them at once; tests). Returns the ids of the reports requested."""
    ids = reports_request(period=period)
    for batch in report_batches(list(MonthlyReport.objects.filter(pk__in=ids).values_list("pk", "partner_id"))):
        reports_generate(report_ids=batch)
    return ids


@transaction.atomic
def report_regenerate(*, user, report: MonthlyReport) -> MonthlyReport:
    """Compute a draft again (an administrator, from the report page); the page shows the progress."""
    if not is_admin(user):
        raise PermissionDenied("Only the performance team regenerates reports.")
    report = MonthlyReport.objects.order_by().select_for_update(of=("self",)).get(pk=report.pk)
    if report.status == MonthlyReport.Status.PUBLISHED:
        raise ValidationError("A published report is frozen: revise it, giving a reason, to make a new version.")
    if report.in_progress:
        raise ValidationError("This report is already being computed.")
    report.status, report.error, report.progress = MonthlyReport.Status.PENDING, "", 0
    report.requested_at = timezone.now()
    report.save(update_fields=["status", "error", "progress", "requested_at", "updated_at"])
    _enqueue_generation([report.pk])
    return report


@transaction.atomic
def report_revise(*, user, report: MonthlyReport, reason: str) -> MonthlyReport:
    """Reopen a published report as the next version, with the reason; it is computed again.

    The published version stays what readers see until the new one is published.
    """
    if not is_admin(user):
        raise PermissionDenied("Only the performance team revises reports.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the report is being revised: readers will see it."})
    report = MonthlyReport.objects.order_by().select_for_update(of=("self",)).get(pk=report.pk)
    if report.status != MonthlyReport.Status.PUBLISHED:
        raise ValidationError("Only a published report can be revised; a draft can simply be regenerated.")
    report.version += 1
    report.revision_reason = reason
    report.status, report.error, report.progress = MonthlyReport.Status.PENDING, "", 0
    report.requested_at = timezone.now()
    report.save()
    _enqueue_generation([report.pk])
    return report


@transaction.atomic
def report_publish(*, user, report: MonthlyReport) -> PublishedReport:
    """Freeze the computed report as a published version; partner contacts get a link by email."""
    if not is_admin(user):
        raise PermissionDenied("Only the performance team publishes reports.")
    report = MonthlyReport.objects.order_by().select_for_update(of=("self",)).get(pk=report.pk)
    if report.status != MonthlyReport.Status.READY:
        raise ValidationError("Only a computed report that is ready can be published.")
    PublishedReport.objects.filter(report=report, is_latest=True).update(is_latest=False)
    published = PublishedReport.objects.create(
        report=report,
        version=report.version,
        snapshot=report.snapshot,
        headline=report.headline,
        reason=report.revision_reason if report.version > 1 else "",
        published_at=timezone.now(),
        published_by=user,
    )
    report.status = MonthlyReport.Status.PUBLISHED
    report.save(update_fields=["status", "updated_at"])
    if report.partner_id:
        from .tasks import notify_report_published

        transaction.on_commit(lambda: notify_report_published.delay(published.pk))
    if not MonthlyReport.objects.filter(period=report.period).exclude(status=MonthlyReport.Status.PUBLISHED).exists():
        # The month is complete: its committee pack is built (again, after a revision) from what is published.
        _pack_enqueue(period=report.period, user=user)
    return published


@transaction.atomic
def month_publish(*, user, period: dt.date) -> list[PublishedReport]:
    """Publish every report of the month that is ready, in one step."""
    if not is_admin(user):
        raise PermissionDenied("Only the performance team publishes reports.")
    ready = list(
        MonthlyReport.objects.filter(period=period, status=MonthlyReport.Status.READY).order_by("partner__name")
    )
    if not ready:
        raise ValidationError(f"No report for {period:%B %Y} is ready to publish.")
    return [report_publish(user=user, report=report) for report in ready]


@transaction.atomic
def month_revise(*, user, period: dt.date, reason: str) -> list[MonthlyReport]:
    """Revise a published month in one step: every published report of it becomes a new version, computed
    again, with the one reason; each reader keeps the published version until the new one is published."""
    if not is_admin(user):
        raise PermissionDenied("Only the performance team revises reports.")
    published = list(MonthlyReport.objects.filter(period=period, status=MonthlyReport.Status.PUBLISHED))
    if not published:
        raise ValidationError({"reason": f"No report for {period:%B %Y} is published, so none can be revised."})
    return [report_revise(user=user, report=report, reason=reason) for report in published]


# Computation (the task's work) ----------------------------------------------------------------------


def _mark(report_id: int, **fields) -> None:
    MonthlyReport.objects.filter(pk=report_id).update(**fields, updated_at=timezone.now())


def report_generate(*, report_id: int, final_attempt: bool = True) -> str:
    """Compute one report and store its snapshot. Returns its status (see ``reports_generate``)."""
    return reports_generate(report_ids=[report_id], final_attempt=final_attempt)[report_id]


def reports_generate(*, report_ids: list[int], final_attempt: bool = True) -> dict[int, str]:
    """Compute some reports of one month and store their snapshots. Returns each one's status.

    Their KPI scorecards, the heavy part, are worked out together (``compute.Scorecards``) in the same
    few queries whatever the number of reports; each report's other sections and its snapshot follow.
    Idempotent: computed twice, a report holds the same figures; a published report is left alone. A
    database error is raised for the task to retry; on the final attempt, and on any other error, the
    report is marked failed with the error, so the month's other reports carry on.
    """
    reports = list(
        MonthlyReport.objects.select_related("partner")
        .defer("snapshot", "headline")  # computed again: the stored ones are not read
        .filter(pk__in=report_ids)
        .order_by("partner_id")
    )
    statuses = {r.pk: r.status for r in reports if r.status == MonthlyReport.Status.PUBLISHED}
    reports = [r for r in reports if r.pk not in statuses]
    if not reports:
        return statuses
    if len({r.period for r in reports}) > 1:
        raise ValueError("The reports computed together are of one month.")
    MonthlyReport.objects.filter(pk__in=[r.pk for r in reports]).update(
        status=MonthlyReport.Status.RUNNING, progress=0, error="", updated_at=timezone.now()
    )
    with paused_collection():  # until the batch's figures are released, when _generate_batch returns
        statuses.update(_generate_batch(reports, final_attempt))
    return statuses


def _generate_batch(reports: list[MonthlyReport], final_attempt: bool) -> dict[int, str]:
    """Compute each report of the batch (a fault fails that report only), then store them together."""
    try:
        scorecards = compute.Scorecards(reports[0].period, [r.partner for r in reports])
    except Exception as error:  # as for one report's fault below, for each of them
        if _to_retry(error, final_attempt):
            raise
        for report in reports:
            _fail(report.pk, error)
        return dict.fromkeys((r.pk for r in reports), MonthlyReport.Status.FAILED)
    statuses, snapshots = {}, {}
    for report in reports:
        try:
            snapshots[report.pk] = compute.compute(
                report.period, report.partner, on_section=_progress_recorder(report.pk), scorecards=scorecards
            )
        except Exception as error:  # any fault fails this scope only, with its message kept
            if _to_retry(error, final_attempt):
                raise
            _fail(report.pk, error)
            statuses[report.pk] = MonthlyReport.Status.FAILED
    if snapshots:
        statuses.update(_store(snapshots, final_attempt))
    return statuses


def _store(snapshots: dict[int, dict], final_attempt: bool) -> dict[int, str]:
    """Store the snapshots of a batch in one transaction, with their rows locked: a report published
    meanwhile is left alone. Three statements whatever the number of reports."""
    try:
        with transaction.atomic():
            published = set(
                MonthlyReport.objects.order_by()
                .select_for_update(of=("self",))
                .filter(pk__in=list(snapshots), status=MonthlyReport.Status.PUBLISHED)
                .values_list("pk", flat=True)
            )
            now = timezone.now()
            ready = [
                MonthlyReport(
                    pk=pk,
                    snapshot=snapshot,
                    headline=compute.headline(snapshot),
                    status=MonthlyReport.Status.READY,
                    progress=len(compute.SECTIONS),
                    error="",
                    generated_at=now,
                    updated_at=now,
                )
                for pk, snapshot in snapshots.items()
                if pk not in published
            ]
            MonthlyReport.objects.bulk_update(
                ready, ["snapshot", "headline", "status", "progress", "error", "generated_at", "updated_at"]
            )
    except DatabaseError as error:
        if _to_retry(error, final_attempt):
            raise
        for pk in snapshots:
            _fail(pk, error)
        return dict.fromkeys(snapshots, MonthlyReport.Status.FAILED)
    return {pk: MonthlyReport.Status.PUBLISHED if pk in published else MonthlyReport.Status.READY for pk in snapshots}


def _to_retry(error: BaseException, final_attempt: bool) -> bool:
    """A database error other than a broken constraint is raised for the task to retry, unless this
    is its final attempt; any other fault fails the report with its message."""
    return isinstance(error, DatabaseError) and not isinstance(error, IntegrityError) and not final_attempt


@contextmanager
def paused_collection():
    """Python's cyclic garbage collector paused while a batch is computed.

    A batch makes hundreds of thousands of small objects (figures, cells) that all live until it ends;
    each collection while they are made walks every one of them again, for nothing: on the benchmark's
    volume, half the time of reading a batch's figures. Memory freed by reference counting is freed
    as usual; only cycles wait until collection resumes, after the batch."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


#: How often, at most, a report's progress is written while it is computed.
PROGRESS_EVERY_SECONDS = 0.5


def _progress_recorder(report_id: int):
    """Record sections done for the report page, no more than twice a second: a partner's report takes a
    tenth of a second and needs no progress written, oneSource's takes seconds and shows it."""
    last = time.monotonic()

    def record(done: int) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_EVERY_SECONDS:
            _mark(report_id, progress=done)
            last = time.monotonic()

    return record


def _fail(report_id: int, error: BaseException) -> None:
    logger.exception("Report %s failed", report_id, exc_info=error)
    if not connection.in_atomic_block and not connection.is_usable():
        connection.close()  # the error broke the connection: the next query opens a new one
    detail = "".join(traceback.format_exception_only(type(error), error)).strip() or type(error).__name__
    _mark(report_id, status=MonthlyReport.Status.FAILED, error=detail[:4000])


def report_published_notify(*, published_id: int) -> int:
    """Email the partner's contacts that their report is published: a link, never the figures."""
    published = PublishedReport.objects.select_related("report__partner").get(pk=published_id)
    partner = published.report.partner
    if partner is None:
        return 0
    contacts = [c for c in Contact.objects.filter(partner=partner).exclude(email="") if c.email]
    link = f"{settings.PORTAL_URL}{published.report.get_absolute_url()}"
    messages = []
    for contact in contacts:
        context = {"contact": contact, "report": published.report, "published": published, "link": link}
        subject = render_to_string("reports/email/published_subject.txt", context).strip()
        body = render_to_string("reports/email/published.txt", context)
        messages.append((subject, body, None, [contact.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0


# The Joint Committee pack ---------------------------------------------------------------------------


@transaction.atomic
def pack_request(*, user, period: dt.date) -> CommitteePack:
    if not is_admin(user):
        raise PermissionDenied("Only the performance team builds the committee pack.")
    _check_period(period)
    if not PublishedReport.objects.filter(report__period=period, report__partner__isnull=True).exists():
        raise ValidationError({"period": "Publish the oneSource report for this month before building its pack."})
    return _pack_enqueue(period=period, user=user)


def _pack_enqueue(*, period: dt.date, user) -> CommitteePack:
    pack, _ = CommitteePack.objects.select_for_update().get_or_create(period=period)
    pack.status, pack.error, pack.requested_by = CommitteePack.Status.PENDING, "", user
    pack.save()
    from .tasks import build_pack

    transaction.on_commit(lambda: build_pack.delay(pack.pk))
    return pack


def pack_build(*, pack_id: int) -> str:
    """Build the pack from the month's published reports: a PDF and an Excel workbook, stored."""
    from . import pack as documents

    pack = CommitteePack.objects.get(pk=pack_id)
    try:
        content = documents.pack_content(pack.period)
        pdf = documents.pack_pdf(content)
        workbook = documents.pack_workbook(content)
        stamp = f"{pack.period:%Y-%m}"
        with transaction.atomic():
            pack = CommitteePack.objects.select_for_update().get(pk=pack_id)
            for field in (pack.pdf, pack.workbook):
                if field:
                    field.delete(save=False)
            pack.pdf.save(f"joint-committee-pack-{stamp}.pdf", ContentFile(pdf), save=False)
            pack.workbook.save(f"joint-committee-pack-{stamp}.xlsx", ContentFile(workbook), save=False)
            pack.status, pack.error, pack.built_at = CommitteePack.Status.READY, "", timezone.now()
            pack.save()
        return pack.status
    except Exception as error:  # the pack page shows why it failed
        logger.exception("Pack %s failed", pack_id)
        CommitteePack.objects.filter(pk=pack_id).update(status=CommitteePack.Status.FAILED, error=str(error)[:4000])
        return CommitteePack.Status.FAILED


def may_read_pack(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.COMMITTEE_MEMBER)
