from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import generic
from django.views.decorators.http import require_POST

from apps.core.forms import apply_validation_error
from apps.core.generic import PortalListView, ServiceFormView
from apps.core.periods import FinancialYear, fy_label
from apps.core.policy import is_admin, role_of
from apps.core.roles import Role
from apps.partners.models import Partner

from . import selectors, services
from .filters import CommissioningRequestFilterSet, CostShareFilterSet, ServiceFilterSet, SubscriptionFilterSet
from .forms import AcceptForm, CommissioningRequestForm, CostSharesForm, DecisionForm, SubscriptionForm
from .models import CommissioningRequest, CostShare, Service, ServiceArea, Subscription
from .pages import service_page


class ServiceListView(PortalListView):
    model = Service
    filterset_class = ServiceFilterSet
    template_name = "catalogue/service_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.service_list(user=self.request.user)


class ServiceDetailView(generic.TemplateView):
    template_name = "catalogue/service_detail.html"

    def get_context_data(self, **kwargs):
        try:
            service = selectors.service_detail(user=self.request.user, slug=kwargs["slug"])
        except Service.DoesNotExist:
            raise Http404("No such service.") from None
        user = self.request.user
        takes_it = any(s.is_current for s in service.visible_subscriptions if s.partner_id == user.partner_id)
        return super().get_context_data(
            service=service,
            can_request=role_of(user) == Role.PARTNER_OFFICER and service.is_available and not takes_it,
            takes_it=takes_it,
            sections=service_page.render_for(user, service),
            **kwargs,
        )


class AreaDetailView(generic.TemplateView):
    template_name = "catalogue/area_detail.html"

    def get_context_data(self, **kwargs):
        try:
            area = selectors.area_detail(user=self.request.user, code=kwargs["code"])
        except ServiceArea.DoesNotExist:
            raise Http404("No such service area.") from None
        return super().get_context_data(area=area, **kwargs)


class MatrixView(generic.TemplateView):
    template_name = "catalogue/matrix.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(matrix=selectors.service_matrix(user=self.request.user), **kwargs)


class SubscriptionListView(PortalListView):
    model = Subscription
    filterset_class = SubscriptionFilterSet
    template_name = "catalogue/subscription_list.html"

    def get_queryset(self):
        return selectors.subscription_list(user=self.request.user)


class SubscriptionCreateView(ServiceFormView):
    form_class = SubscriptionForm
    heading = "Add a subscription"
    submit_label = "Add subscription"
    success_message = "Subscription added."

    def dispatch(self, request, *args, **kwargs):
        if not is_admin(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return reverse("catalogue:subscription_list")

    def perform(self, form):
        services.subscription_create(user=self.request.user, **form.cleaned_data)
        return reverse("catalogue:subscription_list")


class RequestListView(PortalListView):
    model = CommissioningRequest
    filterset_class = CommissioningRequestFilterSet
    template_name = "catalogue/request_list.html"

    def get_queryset(self):
        return selectors.commissioning_request_list(user=self.request.user)


class RequestCreateView(ServiceFormView):
    form_class = CommissioningRequestForm
    heading = "Request an additional service"
    submit_label = "Send request"
    success_message = "Your request was sent to oneSource."

    def dispatch(self, request, *args, **kwargs):
        if role_of(request.user) != Role.PARTNER_OFFICER:
            raise PermissionDenied("Requests for services are made by partner officers.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"service": self.request.GET.get("service")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partner": self.request.user.partner}

    def get_cancel_url(self):
        return reverse("catalogue:service_list")

    def perform(self, form):
        return services.commissioning_request_submit(user=self.request.user, **form.cleaned_data)


class RequestDetailView(generic.TemplateView):
    template_name = "catalogue/request_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        request = get_object_or_404(selectors.commissioning_request_list(user=user), pk=kwargs["pk"])
        can_decide = request.is_open and CommissioningRequest.objects.editable_by(user).filter(pk=request.pk).exists()
        can_withdraw = request.is_open and (
            is_admin(user) or (role_of(user) == Role.PARTNER_OFFICER and request.partner_id == user.partner_id)
        )
        return super().get_context_data(
            request_obj=request,
            can_decide=can_decide,
            can_withdraw=can_withdraw,
            accept_form=kwargs.pop("accept_form", None) or AcceptForm(prefix="accept"),
            decline_form=kwargs.pop("decline_form", None) or DecisionForm(prefix="decline"),
            **kwargs,
        )


@require_POST
def request_decide(request, pk, decision):
    """Accept, decline, start review or withdraw a request (POST from the request page)."""
    obj = get_object_or_404(selectors.commissioning_request_list(user=request.user), pk=pk)
    forms = {"accept": AcceptForm, "decline": DecisionForm}
    form = forms[decision](request.POST, prefix=decision) if decision in forms else None
    if form is not None and not form.is_valid():
        return _request_page_with(request, obj, decision, form)
    try:
        if decision == "accept":
            services.commissioning_request_accept(
                user=request.user,
                request=obj,
                starts_on=form.cleaned_data["starts_on"],
                reason=form.cleaned_data["reason"],
            )
        elif decision == "decline":
            services.commissioning_request_decline(user=request.user, request=obj, reason=form.cleaned_data["reason"])
        elif decision == "review":
            services.commissioning_request_start_review(user=request.user, request=obj)
        elif decision == "withdraw":
            services.commissioning_request_withdraw(user=request.user, request=obj)
        else:
            raise Http404
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect(obj)
        apply_validation_error(form, error)
        return _request_page_with(request, obj, decision, form)
    obj.refresh_from_db()
    messages.success(request, f"The request is now {obj.get_status_display().lower()}.")
    return redirect(obj)


def _request_page_with(request, obj, decision, form):
    """The request page again, with the decision form showing its errors."""
    view = RequestDetailView()
    view.setup(request, pk=obj.pk)
    return view.render_to_response(view.get_context_data(pk=obj.pk, **{f"{decision}_form": form}))


class CostShareListView(PortalListView):
    model = CostShare
    filterset_class = CostShareFilterSet
    template_name = "catalogue/cost_share_list.html"
    paginate_by = 100

    def get_queryset(self):
        return selectors.cost_share_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit_areas"] = {a.code for a in ServiceArea.objects.editable_by(self.request.user)}
        this_year = FinancialYear.of(timezone.localdate())
        context.update(this_year=this_year.start_year, this_year_label=this_year.label)
        return context


class CostShareEditView(ServiceFormView):
    form_class = CostSharesForm
    submit_label = "Save cost shares"
    success_message = "Cost shares saved."

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.area = get_object_or_404(ServiceArea.objects.editable_by(request.user), code=kwargs["code"])
        self.year = kwargs["year"]
        self.heading = f"Cost shares of {self.area.name}, {fy_label(self.year)}"

    def get_form_kwargs(self):
        fy = FinancialYear(self.year)
        partners = Partner.objects.joint_committee().active_on(fy.ends_on).order_by("joined_on", "name")
        existing = dict(
            CostShare.objects.filter(area=self.area, financial_year=self.year).values_list("partner_id", "percentage")
        )
        return {**super().get_form_kwargs(), "partners": partners, "initial_shares": existing}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = "Each Joint Committee partner's share of the area's cost. The shares must add up to 100%."
        return context

    def get_cancel_url(self):
        return reverse("catalogue:cost_share_list")

    def perform(self, form):
        services.cost_shares_set(user=self.request.user, area=self.area, financial_year=self.year, shares=form.shares())
        return f"{reverse('catalogue:cost_share_list')}?financial_year={self.year}&area={self.area.code}"
