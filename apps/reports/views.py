"""Thin views of the monthly reports: parse, call a selector or a service, render."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import generic
from django.views.decorators.http import require_POST

from apps.core.forms import apply_validation_error
from apps.core.generic import PortalListView, ServiceFormView
from apps.core.policy import is_admin

from . import charts, selectors, services
from .filters import PublishedReportFilterSet, ReportFilterSet
from .forms import MonthForm, ReviseForm
from .models import MonthlyReport


def _period(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        raise Http404("No such month.") from None


class ReportListView(PortalListView):
    template_name = "reports/report_list.html"

    def get_queryset(self):
        return selectors.report_list(user=self.request.user)

    def get_filterset_class(self):
        return ReportFilterSet if is_admin(self.request.user) else PublishedReportFilterSet

    def get_context_data(self, **kwargs):
        admin = is_admin(self.request.user)
        return super().get_context_data(is_admin=admin, month_form=MonthForm() if admin else None, **kwargs)


class ReportGenerateView(ServiceFormView):
    form_class = MonthForm
    heading = "Generate a month's reports"
    submit_label = "Generate reports"

    def dispatch(self, request, *args, **kwargs):
        if not is_admin(request.user):
            raise PermissionDenied("Only the performance team generates reports.")
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return reverse("reports:report_list")

    def perform(self, form):
        period = form.cleaned_data["month"]
        ids = services.reports_request(period=period, user=self.request.user)
        published = sum(
            r.status == MonthlyReport.Status.PUBLISHED
            for r in selectors.month_reports(user=self.request.user, period=period)
        )
        if not ids:
            # Nothing was queued: say so on the form, not as a success.
            raise ValidationError(
                {
                    "month": f"The reports for {period:%B %Y} are already published, so none was generated. "
                    "To change them, revise the month from its page, giving a reason."
                }
            )
        kept = f" {published} already published stay as they are." if published else ""
        messages.success(
            self.request,
            f"{len(ids)} report{'s' if len(ids) != 1 else ''} for {period:%B %Y} queued; "
            f"they compute in the background.{kept}",
        )
        return reverse("reports:report_month", kwargs={"period": f"{period:%Y-%m}"})


def _admin_only(request):
    """A month's working page exists for the performance team only; to anyone else it is not there."""
    if not is_admin(request.user):
        raise Http404("No such page.")


def report_month(request, period):
    """A month's reports at a glance for the performance team: publish all that are ready, or revise
    the published month in one step."""
    _admin_only(request)
    return _month_page(request, _period(period), ReviseForm())


def _month_page(request, month, revise_form, status=200):
    reports = list(selectors.month_reports(user=request.user, period=month))
    counts = {status: sum(r.status == status for r in reports) for status in MonthlyReport.Status.values}
    context = {
        "period": month,
        "reports": reports,
        "counts": counts,
        "pack": selectors.pack_list(user=request.user).filter(period=month).first(),
        "revise_form": revise_form,
    }
    return render(request, "reports/report_month.html", context, status=status)


@require_POST
def month_publish(request, period):
    _admin_only(request)
    month = _period(period)
    try:
        published = services.month_publish(user=request.user, period=month)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{len(published)} report{'s' if len(published) != 1 else ''} published.")
    return redirect("reports:report_month", period=period)


@require_POST
def month_revise(request, period):
    _admin_only(request)
    month = _period(period)
    form = ReviseForm(request.POST)
    if form.is_valid():
        try:
            revised = services.month_revise(user=request.user, period=month, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"{len(revised)} reports for {month:%B %Y} are being computed again as new versions; "
                "publish them when they are ready.",
            )
            return redirect("reports:report_month", period=period)
    return _month_page(request, month, form, status=400)


def report_detail(request, period, scope):
    version = request.GET.get("version")
    try:
        view = selectors.report_view(
            user=request.user,
            period=_period(period),
            scope=scope,
            version=int(version) if version and version.isdigit() else None,
        )
    except MonthlyReport.DoesNotExist:
        raise Http404("No such report, or not one you may read.") from None
    snapshot = view.snapshot
    context = {
        "view": view,
        "report": view.report,
        "snapshot": snapshot,
        "is_admin": is_admin(request.user),
        "revise_form": ReviseForm(),
        "changes_from_version": selectors.changes(
            view.previous_version.snapshot if view.previous_version else None, snapshot
        ),
        "changes_from_last_month": selectors.changes(view.last_month, snapshot),
        "rag_chart": charts.rag_chart(snapshot, ident="report-rag") if snapshot else None,
        "sla_chart": charts.compliance_chart(snapshot, ident="report-sla") if snapshot else None,
    }
    return render(request, "reports/report_detail.html", context)


def _admin_action(request, period, scope, action):
    try:
        view = selectors.report_view(user=request.user, period=_period(period), scope=scope)
    except MonthlyReport.DoesNotExist:
        raise Http404("No such report.") from None
    if not is_admin(request.user):
        raise PermissionDenied("Only the performance team changes reports.")
    try:
        message = action(view.report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
    return redirect(view.report.get_absolute_url())


@require_POST
def report_regenerate(request, period, scope):
    def act(report):
        services.report_regenerate(user=request.user, report=report)
        return "The report is being computed again; this page shows its progress."

    return _admin_action(request, period, scope, act)


@require_POST
def report_publish(request, period, scope):
    def act(report):
        published = services.report_publish(user=request.user, report=report)
        return f"Version {published.version} published."

    return _admin_action(request, period, scope, act)


@require_POST
def report_revise(request, period, scope):
    form = ReviseForm(request.POST)

    def act(report):
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        services.report_revise(user=request.user, report=report, reason=form.cleaned_data["reason"])
        return "A new version is being computed; publish it when it is ready."

    return _admin_action(request, period, scope, act)


class PackListView(generic.ListView):
    template_name = "reports/pack_list.html"
    paginate_by = 24

    def get_queryset(self):
        if not services.may_read_pack(self.request.user):
            raise Http404
        return selectors.pack_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        admin = is_admin(self.request.user)
        return super().get_context_data(is_admin=admin, month_form=MonthForm() if admin else None, **kwargs)


class PackRequestView(ServiceFormView):
    form_class = MonthForm
    heading = "Build the Joint Committee pack"
    submit_label = "Build pack"

    def dispatch(self, request, *args, **kwargs):
        if not is_admin(request.user):
            raise PermissionDenied("Only the performance team builds the pack.")
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return reverse("reports:pack_list")

    def perform(self, form):
        pack = services.pack_request(user=self.request.user, period=form.cleaned_data["month"])
        messages.success(self.request, f"The pack for {pack.period_label} is being built.")
        return reverse("reports:pack_list")


def pack_download(request, period, kind):
    pack = (
        # The pack last built stays readable while a new one is being built, or if that build failed.
        selectors.pack_list(user=request.user).filter(period=_period(period), built_at__isnull=False).first()
    )
    if pack is None:
        raise Http404("No such pack, or not one you may read.")
    field = {"pdf": pack.pdf, "xlsx": pack.workbook}[kind]
    if not field:
        raise Http404("This pack has no such file.")
    return FileResponse(field.open("rb"), as_attachment=True, filename=field.name.rsplit("/", 1)[-1])
