from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from apps.core.generic import PortalListView, ServiceFormView
from apps.savings.models import SavingLine

from . import selectors, services
from .filters import RiskFilterSet
from .forms import ActionForm, AssessmentForm, ControlForm, RiskForm
from .models import MitigatingAction, Risk
from .scoring import BANDS


class RiskListView(PortalListView):
    model = Risk
    filterset_class = RiskFilterSet
    template_name = "risks/risk_list.html"

    def get_queryset(self):
        return selectors.risk_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(may_record=services.can_record_risk(self.request.user), **kwargs)
        today = timezone.localdate()
        for risk in context["object_list"]:
            risk.is_review_overdue = risk.review_overdue_on(today)
        return context


class HeatMapView(PortalListView):
    """The register's risks on the 5 × 5 grid, filtered as the register is."""

    model = Risk
    filterset_class = RiskFilterSet
    template_name = "risks/heat_map.html"
    paginate_by = None

    def get_queryset(self):
        return Risk.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        basis = "inherent" if self.request.GET.get("basis") == "inherent" else "residual"
        context.update(map=selectors.heat_map(context["object_list"], basis=basis), bands=BANDS)
        return context


class RiskDetailView(generic.TemplateView):
    template_name = "risks/risk_detail.html"

    def get_context_data(self, **kwargs):
        try:
            risk = selectors.risk_detail(user=self.request.user, pk=kwargs["pk"])
        except Risk.DoesNotExist:
            raise Http404("No such risk.") from None
        trend = selectors.assessment_trend(risk)
        today = timezone.localdate()
        risk.is_review_overdue = risk.review_overdue_on(today)
        for action in risk.actions.all():
            action.is_overdue = action.overdue_on(today)
        return super().get_context_data(
            risk=risk,
            trend=trend,
            chart=selectors.trend_chart(trend),
            can_change=services.can_change_risk(user=self.request.user, risk=risk),
            **kwargs,
        )


class RiskCreateView(ServiceFormView):
    form_class = RiskForm
    heading = "Record a risk"
    submit_label = "Record risk"
    success_message = "{object} recorded."

    def dispatch(self, request, *args, **kwargs):
        if not services.can_record_risk(request.user):
            raise PermissionDenied("Only an administrator or a director may record a risk.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        """From a saving line at risk: the risk starts tied to the line, its area and its owner."""
        initial = {"owner": self.request.user}
        reference = self.request.GET.get("saving_line")
        line = SavingLine.objects.visible_to(self.request.user).filter(reference=reference).first()
        if line is not None:
            initial.update(
                saving_lines=[line],
                area=line.area,
                category=Risk.Category.SAVINGS_AND_FINANCE,
                title=f"{line.title}: saving may not be achieved",
            )
        return initial

    def get_cancel_url(self):
        return reverse("risks:risk_list")

    def perform(self, form):
        return services.risk_save(user=self.request.user, **form.cleaned_data)


class RiskFormMixin:
    """The risk must be visible (else 404) and changeable by the user (else 403)."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.risk = get_object_or_404(Risk.objects.visible_to(request.user), pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not services.can_change_risk(user=request.user, risk=self.risk):
            raise PermissionDenied("Only the risk's owner, its area's director or an administrator may change it.")
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return self.risk.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(caption=self.risk.title, **kwargs)


class RiskChangeView(RiskFormMixin, ServiceFormView):
    form_class = RiskForm
    heading = "Change the risk"
    submit_label = "Save changes"
    success_message = "{object} saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "editing": True}

    def get_initial(self):
        initial = {name: getattr(self.risk, name) for name in services.RISK_FIELDS}
        initial.update({name: list(getattr(self.risk, name).all()) for name in services.RISK_LINKS})
        return initial

    def perform(self, form):
        return services.risk_save(user=self.request.user, risk=self.risk, **form.cleaned_data)


class RiskAssessView(RiskFormMixin, ServiceFormView):
    form_class = AssessmentForm
    heading = "Assess the risk"
    submit_label = "Record assessment"
    success_message = "Assessment recorded."

    def get_initial(self):
        return {name: getattr(self.risk, name) for name in (*services.SCORE_FIELDS, "review_on")}

    def perform(self, form):
        services.risk_assess(user=self.request.user, risk=self.risk, **form.cleaned_data)
        return self.risk


class ControlCreateView(RiskFormMixin, ServiceFormView):
    form_class = ControlForm
    heading = "Add a control"
    submit_label = "Add control"
    success_message = "Control added."

    def perform(self, form):
        services.control_add(user=self.request.user, risk=self.risk, **form.cleaned_data)
        return self.risk


class ActionCreateView(RiskFormMixin, ServiceFormView):
    form_class = ActionForm
    heading = "Add a mitigating action"
    submit_label = "Add action"
    success_message = "Action added."

    def get_initial(self):
        return {"owner": self.risk.owner, "status": MitigatingAction.Status.NOT_STARTED}

    def perform(self, form):
        services.action_save(user=self.request.user, risk=self.risk, **form.cleaned_data)
        return self.risk


class ActionChangeView(RiskFormMixin, ServiceFormView):
    form_class = ActionForm
    heading = "Change the action"
    submit_label = "Save action"
    success_message = "Action saved."

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.action = get_object_or_404(self.risk.actions.all(), pk=kwargs["action_pk"])

    def get_initial(self):
        return {name: getattr(self.action, name) for name in services.ACTION_FIELDS}

    def perform(self, form):
        services.action_save(user=self.request.user, risk=self.risk, action=self.action, **form.cleaned_data)
        return self.risk
