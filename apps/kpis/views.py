from crispy_forms.utils import render_crispy_form
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View, generic
from django.views.decorators.http import require_POST

from apps.catalogue.selectors import SUBSCRIPTIONS
from apps.core import generations
from apps.core.conflicts import Conflict
from apps.core.forms import apply_validation_error, read_query
from apps.core.generic import PortalListView, ServiceFormView
from apps.core.periods import last_month, month_label
from apps.core.policy import role_of
from apps.core.roles import STAFF_ROLES, Role
from apps.partners.models import Partner

from . import charts, imports, selectors, services
from .filters import KPIFilterSet
from .forms import (
    GridFilterForm,
    GridForm,
    ImportForm,
    KPIForm,
    MeasurementChangeForm,
    MonthForm,
    ReturnForm,
    ScorecardForm,
    TargetForm,
    month_in_query,
)
from .models import KPI, Measurement


class StaffOnlyMixin:
    """Pages for oneSource's own staff; anyone else gets a 404, as for a row they may not see."""

    def dispatch(self, request, *args, **kwargs):
        if role_of(request.user) not in STAFF_ROLES:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class KPIListView(PortalListView):
    model = KPI
    filterset_class = KPIFilterSet
    template_name = "kpis/kpi_list.html"
    paginate_by = 50

    def scope_queryset(self, queryset):
        return queryset.select_related("area", "data_owner")


class KPIDetailView(generic.TemplateView):
    template_name = "kpis/kpi_detail.html"

    def get_context_data(self, **kwargs):
        kpi = get_object_or_404(
            KPI.objects.visible_to(self.request.user).select_related("area", "service", "data_owner"),
            code=kwargs["code"],
        )
        latest = selectors.latest_approved_period(user=self.request.user, kpi=kpi)
        end = month_in_query(self.request.GET, latest or last_month())
        targets = list(selectors.kpi_targets(user=self.request.user, kpi=kpi))
        trend = selectors.kpi_trend(
            user=self.request.user, kpi=kpi, end=end, page=self.request.GET.get("page", 1), targets=targets
        )
        context = super().get_context_data(**kwargs)
        context.update(
            kpi=kpi,
            trend=trend,
            page_obj=trend.partners,
            chart=charts.trend_chart(trend),
            month_form=MonthForm(initial={"month": end.strftime("%Y-%m")}),
            targets=targets,
            can_manage_targets=services.can_manage_targets(self.request.user, kpi),
            can_change=KPI.objects.editable_by(self.request.user).filter(pk=kpi.pk).exists(),
            summary_labels=selectors.SUMMARY_LABELS,
        )
        return context


class KPIFormView(ServiceFormView):
    form_class = KPIForm
    submit_label = "Save KPI"
    success_message = "{object} saved."

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.kpi = (
            get_object_or_404(KPI.objects.editable_by(request.user), code=kwargs["code"]) if "code" in kwargs else None
        )
        self.heading = f"Change {self.kpi}" if self.kpi else "Define a KPI"

    def dispatch(self, request, *args, **kwargs):
        if role_of(request.user) not in (Role.ADMIN, Role.DIRECTOR):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        if self.kpi:
            # The form edits a copy, so that a rejected change never touches the KPI in hand.
            kwargs["instance"] = KPI.objects.get(pk=self.kpi.pk)
        return kwargs

    def get_cancel_url(self):
        return self.kpi.get_absolute_url() if self.kpi else reverse("kpis:kpi_list")

    def perform(self, form):
        return services.kpi_save(user=self.request.user, kpi=self.kpi, **form.cleaned_data)


class TargetCreateView(ServiceFormView):
    form_class = TargetForm
    submit_label = "Save target"
    success_message = "Target saved."

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.kpi = get_object_or_404(KPI.objects.editable_by(request.user), code=kwargs["code"])
        self.heading = f"Set a target for {self.kpi.code} {self.kpi.name}"

    def get_cancel_url(self):
        return self.kpi.get_absolute_url()

    def perform(self, form):
        services.target_save(user=self.request.user, kpi=self.kpi, **form.cleaned_data)
        return self.kpi


def grid_filters_html(period, partner: Partner | None) -> str:
    """The entry grid's filter, drawn. Its partners are those taking a service, which only a change of
    the subscriptions' generation changes, and its months run back from today; so it is drawn once for
    each month and partner chosen, and kept (drawing 300 partners' options took a fifth of the page)."""
    initial = {"month": f"{period:%Y-%m}", "partner": partner}
    key = f"kpis:grid-filters:{timezone.localdate():%Y-%m-%d}:{period:%Y-%m}:{partner.pk if partner else ''}"
    return generations.kept(SUBSCRIPTIONS, key, lambda: render_crispy_form(GridFilterForm(initial=initial)))


class EntryGridView(StaffOnlyMixin, View):
    """The month's figures, a page of rows at a time, for every partner or one partner's return.

    The month, the partner and the page travel in the query string, and in hidden fields of the form,
    so a save comes back to the rows it was made on.
    """

    template_name = "kpis/entry_grid.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        params = request.POST if request.method == "POST" else request.GET
        chosen = read_query(GridFilterForm(params))
        self.period = chosen["month"] or last_month()
        self.partner = chosen.get("partner")
        self.page_number = params.get("page", 1)

    def _query(self, page=None):
        query = {"month": f"{self.period:%Y-%m}"}
        if self.partner:
            query["partner"] = self.partner.slug
        if page:
            query["page"] = page
        return urlencode(query)

    def _render(self, request, page, form, status=200):
        return render(
            request,
            self.template_name,
            {
                "period": self.period,
                "period_label": month_label(self.period),
                "form": form,
                "rows": form.rows,
                "page_obj": page,
                "partner": self.partner,
                "filters_html": grid_filters_html(self.period, self.partner),
            },
            status=status,
        )

    def _page(self, request):
        return selectors.entry_grid_page(
            user=request.user, period=self.period, partner=self.partner, page=self.page_number
        )

    def get(self, request):
        page = self._page(request)
        return self._render(request, page, GridForm(rows=page.object_list))

    def post(self, request):
        page = self._page(request)
        rows = page.object_list
        form = GridForm(request.POST, rows=rows)
        if form.is_valid():
            figures = {
                row.key: services.Figure(
                    row.kpi,
                    row.partner,
                    self.period,
                    **{
                        name: form.cleaned_data.get(f"{row.key}-{name}")
                        for name in services.FIGURE_FIELDS
                        if f"{row.key}-{name}" in form.fields
                    },
                    commentary=form.cleaned_data[f"{row.key}-commentary"],
                )
                for row in rows
                if not row.is_locked
            }
            submit = "submit" in request.POST
            try:
                changed = services.measurement_grid_save(
                    user=request.user, period=self.period, figures=figures, submit=submit
                )
            except Conflict as conflict:
                # Someone saved a cell of this page first: nothing of this save went in. The page comes
                # back with what is stored now, so the officer sees the other figure before saving again.
                messages.error(request, conflict.messages[0])
                fresh = self._page(request)
                return self._render(request, fresh, GridForm(rows=fresh.object_list), status=409)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                done = "submitted for approval" if submit else "saved as drafts"
                plural = "s" if changed != 1 else ""
                messages.success(request, f"{changed} figure{plural} for {month_label(self.period)} {done}.")
                return redirect(f"{reverse('kpis:entry_grid')}?{self._query(page.number)}")
        return self._render(request, page, form, status=400)


class ApprovalQueueView(StaffOnlyMixin, generic.TemplateView):
    template_name = "kpis/approval_queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        measurements = list(selectors.approval_queue(user=self.request.user)[:200])
        decisions = selectors.decision_context(measurements)
        for measurement in measurements:
            measurement.decision = decisions[measurement.pk]
        context.update(measurements=measurements)
        return context


@require_POST
def measurement_decide(request, pk):
    """Approve, or return with a reason. A return without one comes back to the figure's page with the
    GOV.UK error summary naming the reason, the figure unchanged."""
    measurement = get_object_or_404(Measurement.objects.visible_to(request.user), pk=pk)
    if request.POST.get("decision") == "approve":
        try:
            services.measurement_approve(user=request.user, measurement=measurement)
            messages.success(request, f"{measurement} approved.")
        except ValidationError as error:
            messages.error(request, f"{measurement}: {' '.join(error.messages)}")
        except PermissionDenied as error:
            messages.error(request, str(error))
        return redirect(measurement if "from_detail" in request.POST else reverse("kpis:approval_queue"))
    return_form = ReturnForm(request.POST)
    if return_form.is_valid():
        try:
            services.measurement_return(
                user=request.user, measurement=measurement, reason=return_form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_validation_error(return_form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(measurement if "from_detail" in request.POST else reverse("kpis:approval_queue"))
        else:
            messages.success(request, f"{measurement} returned.")
            return redirect(measurement if "from_detail" in request.POST else reverse("kpis:approval_queue"))
    measurement = get_object_or_404(selectors.measurement_list(user=request.user), pk=pk)
    return MeasurementDetailView()._render(request, measurement, None, status=400, return_form=return_form)


class MeasurementDetailView(View):
    template_name = "kpis/measurement_detail.html"

    def _measurement(self, request, pk):
        return get_object_or_404(selectors.measurement_list(user=request.user), pk=pk)

    def _render(self, request, measurement, form, status=200, return_form=None):
        can_change = services.can_enter(request.user, measurement.kpi)
        if form is None and can_change:
            form = self._change_form(measurement)
        return render(
            request,
            self.template_name,
            {
                "measurement": measurement,
                "decision": selectors.decision_context([measurement])[measurement.pk],
                "form": form if can_change else None,
                "can_approve": services.can_approve(request.user, measurement.kpi)
                and measurement.status == Measurement.Status.SUBMITTED,
                "return_form": return_form or ReturnForm(),
                "history": selectors.measurement_history(user=request.user, measurement=measurement),
            },
            status=status,
        )

    @staticmethod
    def _change_form(measurement):
        return MeasurementChangeForm(
            kpi=measurement.kpi,
            initial={name: getattr(measurement, name) for name in ("value", "numerator", "denominator", "commentary")},
        )

    def get(self, request, pk):
        measurement = self._measurement(request, pk)
        return self._render(request, measurement, self._change_form(measurement))

    def post(self, request, pk):
        measurement = self._measurement(request, pk)
        form = MeasurementChangeForm(request.POST, kpi=measurement.kpi)
        if form.is_valid():
            try:
                services.measurement_record(
                    user=request.user,
                    kpi=measurement.kpi,
                    partner=measurement.partner,
                    period=measurement.period,
                    submit=True,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            except PermissionDenied as error:
                raise Http404 from error
            else:
                messages.success(request, f"{measurement} changed and submitted for approval.")
                return redirect(measurement.get_absolute_url())
        return self._render(request, measurement, form, status=400)


class MeasurementImportView(StaffOnlyMixin, generic.FormView):
    template_name = "kpis/import.html"
    form_class = ImportForm

    def form_valid(self, form):
        result = services.measurements_import(
            user=self.request.user, upload=form.cleaned_data["file"], submit=form.cleaned_data["submit"]
        )
        if result.errors:
            return self.render_to_response(self.get_context_data(form=form, result=result), status=400)
        stored = result.created + result.changed
        plural = "" if stored == 1 else "s"
        if form.cleaned_data["submit"]:
            done = f"{stored} figure{plural} submitted for approval"
        else:
            done = f"{stored} figure{plural} saved as drafts: not submitted; submit them from the entry grid"
        messages.success(
            self.request,
            f"Import complete: {done} ({result.created} new, {result.changed} changed; {result.unchanged} unchanged).",
        )
        return redirect("kpis:measurement_import")


class ImportTemplateView(StaffOnlyMixin, View):
    def get(self, request):
        if request.GET.get("format") == "csv":
            response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="kpi-figures-template.csv"'
            return response
        response = HttpResponse(
            imports.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="kpi-figures-template.xlsx"'
        return response


class ScorecardView(generic.TemplateView):
    template_name = "kpis/scorecard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        partners = Partner.objects.visible_to(user).order_by("name")
        slug = self.request.GET.get("partner")
        partner = get_object_or_404(partners, slug=slug) if slug else partners.first()
        if partner is None:
            raise Http404
        latest = selectors.latest_approved_period(user=user, partner=partner) or last_month()
        period = month_in_query(self.request.GET, latest)
        card = selectors.kpi_scorecard(user=user, partner=partner, period=period)
        context = super().get_context_data(**kwargs)
        context.update(
            partner=partner,
            period=period,
            rows=card.rows,
            by_service=card.by_service,
            form=ScorecardForm(initial={"partner": partner.slug, "month": period.strftime("%Y-%m")}, partners=partners),
        )
        return context


class ReturnsView(StaffOnlyMixin, generic.TemplateView):
    template_name = "kpis/returns.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["returns"] = selectors.my_returns(user=self.request.user, period=last_month())
        return context
