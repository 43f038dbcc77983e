from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import generic

from apps.core.forms import apply_validation_error
from apps.core.periods import fy_label, month_label
from apps.core.policy import role_of
from apps.core.roles import STAFF_ROLES
from apps.partners.models import Partner

from . import exports, selectors, services
from .filters import EVERY_YEAR, SavingLineFilterSet
from .forms import RephaseForm, SavingsUpdateForm
from .models import SavingLine, YearTarget
from .pages import line_page

#: How many years ahead of the year read a target can be moved.
REPHASE_HORIZON = 5


def filtered_tracker(request):
    """The tracker the filters ask for: the year read unless another (or every year) is chosen.

    Filtered to a partner, every figure is that partner's shares.
    """
    # Naming a partner the user may not see is asking for a row they may not see: 404, as everywhere.
    slug = request.GET.get("partner")
    partner = Partner.objects.visible_to(request.user).filter(slug=slug).first() if slug else None
    if slug and partner is None:
        raise Http404("No such partner.")
    filterset = SavingLineFilterSet(
        request.GET or None, queryset=SavingLine.objects.visible_to(request.user), request=request
    )
    lines = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    chosen = data.get("year")
    year = None if chosen == EVERY_YEAR else int(chosen) if chosen else selectors.reporting_year()
    summary = selectors.tracker(
        user=request.user, lines=lines, year=year, status=data.get("status") or None, partner=partner
    )
    return filterset, summary


class TrackerView(generic.TemplateView):
    template_name = "savings/tracker.html"

    def get_context_data(self, **kwargs):
        filterset, summary = filtered_tracker(self.request)
        return super().get_context_data(filter=filterset, tracker=summary, query=self.request.GET.urlencode(), **kwargs)


def tracker_export(request):
    _, summary = filtered_tracker(request)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="onesource-savings-tracker.xlsx"'
    exports.tracker_workbook(summary).save(response)
    return response


def line_detail(request, reference):
    try:
        line = selectors.line_detail(user=request.user, reference=reference)
    except SavingLine.DoesNotExist:
        raise Http404("No such saving line.") from None
    phasing = selectors.line_years(SavingLine.objects.filter(pk=line.pk))
    total = selectors.Figures()
    for row in phasing:
        total.add(row.target, row.forecast, row.achieved)
    can_edit = SavingLine.objects.editable_by(request.user).filter(pk=line.pk).exists()
    return render(
        request,
        "savings/line_detail.html",
        {
            "line": line,
            "phasing": phasing,
            "total": total,
            "history": selectors.history(line),
            "can_edit": can_edit,
            "sections": line_page.render_for(request.user, line),
            "can_update": can_edit and any(row.year == selectors.reporting_year() for row in phasing),
        },
    )


class StaffOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if role_of(request.user) not in STAFF_ROLES:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class MySavingsView(StaffOnlyMixin, generic.TemplateView):
    template_name = "savings/my_savings.html"

    def get_context_data(self, **kwargs):
        year = selectors.reporting_year()
        rows = selectors.my_savings(user=self.request.user, year=year)
        total = selectors.Figures()
        for row in rows:
            total.add(row.target, row.forecast, row.achieved)
        other_years = [] if rows else selectors.years_with_targets(SavingLine.objects.editable_by(self.request.user))
        return super().get_context_data(
            rows=rows, total=total, year_label=fy_label(year), other_years=other_years, **kwargs
        )


class LineChangeView(generic.FormView):
    """A change to a line made from a page opened at one version of it (optimistic locking)."""

    template_name = "savings/line_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.line = get_object_or_404(
            SavingLine.objects.editable_by(request.user).select_related("area"), reference=kwargs["reference"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            line=self.line, heading=self.heading, cancel_url=self.line.get_absolute_url(), **kwargs
        )

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        expected_version = data.pop("version")
        try:
            self.perform(expected_version=expected_version, **data)
        except services.StaleVersion as stale:
            # Keep what this person typed; the form now carries the version they have been shown.
            fresh = self.get_form_class()(**{**self.get_form_kwargs(), "data": self._with_version(stale.version)})
            fresh.is_valid()
            fresh.add_error(None, stale)
            return self.render_to_response(self.get_context_data(form=fresh, changes=stale.changes))
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.line)

    def _with_version(self, version):
        data = self.request.POST.copy()
        data["version"] = str(version)
        return data


class LineUpdateView(LineChangeView):
    form_class = SavingsUpdateForm
    success_message = "Update saved."

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.year = selectors.reporting_year()
        month = services.reporting_period(self.year)
        self.heading = f"Update {self.line.reference} for {month_label(month)} ({fy_label(self.year)})"

    def get_initial(self):
        # The line is one the user may update (``LineChangeView.setup``): its row of the year alone is read.
        row = next(iter(selectors.line_years(SavingLine.objects.filter(pk=self.line.pk), year=self.year)), None)
        if row is None:
            raise Http404(f"{self.line.reference} has no target in {fy_label(self.year)}.")
        initial = {"forecast": row.forecast, "achieved": row.achieved, "version": self.line.version}
        if row.status:
            initial.update(status=row.status, commentary=row.commentary)
        self.row = row
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(row=getattr(self, "row", None), **kwargs)

    def perform(self, **data):
        services.savings_update_record(user=self.request.user, line=self.line, financial_year=self.year, **data)


class LineRephaseView(LineChangeView):
    form_class = RephaseForm
    success_message = "Target moved; the move is reported as slippage."

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.heading = f"Move part of {self.line.reference}'s target to a later year"

    def get_form_kwargs(self):
        # A target can move from this year or a later one; a year that is over has been achieved or missed.
        years = list(
            YearTarget.objects.filter(line=self.line, amount__gt=0, financial_year__gte=selectors.reporting_year())
            .order_by("financial_year")
            .values_list("financial_year", flat=True)
        )
        first = years[0] + 1 if years else selectors.reporting_year()
        last = max([selectors.reporting_year(), *years]) + REPHASE_HORIZON
        return {**super().get_form_kwargs(), "from_years": years, "to_years": range(first, last + 1)}

    def get_initial(self):
        return {"version": self.line.version}

    def perform(self, **data):
        services.target_rephase(user=self.request.user, line=self.line, **data)
