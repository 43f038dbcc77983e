from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from apps.core.generic import PortalListView, ServiceFormView
from apps.core.periods import FinancialYear

from . import selectors, services
from .filters import OpportunityFilterSet, TradedIncomeFilterSet
from .forms import ActualForm, OpportunityForm, StageForm, TaskDoneForm
from .models import OnboardingTask, Opportunity, TradedIncome


class PipelineAccessMixin:
    """The pipeline is oneSource's own business: a partner officer may not open it."""

    def dispatch(self, request, *args, **kwargs):
        if not selectors.may_see_pipeline(request.user):
            raise PermissionDenied("The growth pipeline is oneSource's own.")
        return super().dispatch(request, *args, **kwargs)


class PipelineView(PipelineAccessMixin, PortalListView):
    model = Opportunity
    filterset_class = OpportunityFilterSet
    template_name = "growth/pipeline.html"

    def get_queryset(self):
        return selectors.opportunity_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = context["object_list"]
        for opportunity in rows:
            opportunity.weighted = services.weighted_value(
                value=opportunity.expected_annual_value, probability=opportunity.probability, stage=opportunity.stage
            )
        context.update(
            pipeline=selectors.pipeline(self.filterset.qs),
            may_add=services.can_add_opportunity(self.request.user),
        )
        return context


class OpportunityDetailView(PipelineAccessMixin, generic.TemplateView):
    template_name = "growth/opportunity_detail.html"

    def get_context_data(self, **kwargs):
        try:
            opportunity = selectors.opportunity_detail(user=self.request.user, pk=kwargs["pk"])
        except Opportunity.DoesNotExist:
            raise Http404("No such opportunity.") from None
        return super().get_context_data(
            opportunity=opportunity,
            weighted=services.weighted_value(
                value=opportunity.expected_annual_value, probability=opportunity.probability, stage=opportunity.stage
            ),
            can_change=services.can_change_opportunity(user=self.request.user, opportunity=opportunity),
            moves_by_hand=opportunity.stage in services.OPEN_STAGES,
            **kwargs,
        )


class OpportunityCreateView(ServiceFormView):
    form_class = OpportunityForm
    heading = "Add an opportunity"
    submit_label = "Add opportunity"
    success_message = "{object} added to the pipeline."

    def dispatch(self, request, *args, **kwargs):
        if not services.can_add_opportunity(request.user):
            raise PermissionDenied("Only an administrator or a director may add an opportunity.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"owner": self.request.user, "probability": 10}

    def get_cancel_url(self):
        return reverse("growth:pipeline")

    def perform(self, form):
        return services.opportunity_save(user=self.request.user, **form.cleaned_data)


class OpportunityFormMixin:
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.opportunity = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not services.can_change_opportunity(user=request.user, opportunity=self.opportunity):
            raise PermissionDenied("Only the opportunity's owner or an administrator may change it.")
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return self.opportunity.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(caption=self.opportunity.title, **kwargs)


class OpportunityChangeView(OpportunityFormMixin, ServiceFormView):
    form_class = OpportunityForm
    heading = "Change the opportunity"
    submit_label = "Save changes"
    success_message = "{object} saved."

    def get_initial(self):
        initial = {name: getattr(self.opportunity, name) for name in services.OPPORTUNITY_FIELDS}
        initial["services"] = list(self.opportunity.services.all())
        return initial

    def perform(self, form):
        return services.opportunity_save(user=self.request.user, opportunity=self.opportunity, **form.cleaned_data)


class OpportunityStageView(OpportunityFormMixin, ServiceFormView):
    form_class = StageForm
    heading = "Move to another stage"
    submit_label = "Move"
    success_message = "{object} moved."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = (
            "Agreed adds the partner (if new), its subscriptions, its cost shares (a Joint Committee partner) "
            "and a draft agreement, and starts the on-boarding tasks."
        )
        return context

    def perform(self, form):
        return services.opportunity_move_stage(
            user=self.request.user, opportunity=self.opportunity, **form.cleaned_data
        )


class TaskDoneView(OpportunityFormMixin, ServiceFormView):
    form_class = TaskDoneForm
    submit_label = "Mark done"
    success_message = "Task done."

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.task = get_object_or_404(OnboardingTask, opportunity=self.opportunity, pk=kwargs["task_pk"])
        self.heading = f"{self.task.get_kind_display()}: mark done"

    def perform(self, form):
        services.onboarding_task_complete(user=self.request.user, task=self.task, **form.cleaned_data)
        return self.opportunity


# Traded income -------------------------------------------------------------------------------------------


class TradedIncomeView(PortalListView):
    model = TradedIncome
    filterset_class = TradedIncomeFilterSet
    template_name = "growth/income.html"
    paginate_by = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = self.filterset.form.cleaned_data.get("financial_year") if self.filterset.is_valid() else None
        year = int(chosen) if chosen else FinancialYear.of(timezone.localdate()).start_year
        context.update(
            table=selectors.traded_income(user=self.request.user, year=year, lines=self.filterset.qs),
            months=selectors.monthly_totals(user=self.request.user, year=year),
        )
        return context


class TradedIncomeDetailView(generic.TemplateView):
    template_name = "growth/income_detail.html"

    def get_context_data(self, **kwargs):
        line = get_object_or_404(
            TradedIncome.objects.visible_to(self.request.user).select_related("partner", "service"), pk=kwargs["pk"]
        )
        table = selectors.traded_income(
            user=self.request.user, year=line.financial_year, lines=TradedIncome.objects.filter(pk=line.pk)
        )
        return super().get_context_data(
            line=line,
            row=table.rows[0],
            months=selectors.income_months(line),
            can_record=services.can_manage_income(self.request.user),
            **kwargs,
        )


class ActualRecordView(ServiceFormView):
    form_class = ActualForm
    heading = "Record a month's income"
    submit_label = "Record"
    success_message = "Income recorded."

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.line = get_object_or_404(TradedIncome.objects.visible_to(request.user), pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not services.can_manage_income(request.user):
            raise PermissionDenied("Only the oneSource performance team may record traded income.")
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return self.line.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(caption=str(self.line), **kwargs)

    def perform(self, form):
        services.traded_income_actual_record(user=self.request.user, line=self.line, **form.cleaned_data)
        return self.line
