"""Thin views of the monthly reports: parse, call a selector or a service, render."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import generic
from django.views.decorators.http import require_POST

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
        messages.success(self.request, f"{len(ids)} reports for {period:%B %Y} queued; they compute in the background.")
        return reverse("reports:report_list") + f"?period={period.isoformat()}"


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
