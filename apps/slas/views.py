from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views import generic
from django.views.decorators.http import require_http_methods, require_POST
from weasyprint import CSS, HTML

from apps.core.generic import PortalListView, ServiceFormView
from apps.core.policy import role_of
from apps.core.roles import STAFF_ROLES
from apps.kpis.forms import MonthForm, month_in_query

from . import charts, selectors, services
from .filters import AgreementFilterSet
from .forms import AgreementForm, ObligationForm, ScheduleForm, StandardForm
from .models import Agreement


class AgreementListView(PortalListView):
    model = Agreement
    filterset_class = AgreementFilterSet
    template_name = "slas/agreement_list.html"

    def get_queryset(self):
        return selectors.agreement_list(user=self.request.user)


def _document_context(agreement):
    return {
        "agreement": agreement,
        "schedules": agreement.schedules.all(),
        "standards": agreement.standards.all(),
        "obligations": agreement.obligations.all(),
    }


def _visible_agreement(request, pk):
    agreement = selectors.agreement_detail(user=request.user, pk=pk)
    if agreement is None:
        raise Http404
    return agreement


class AgreementDetailView(generic.TemplateView):
    template_name = "slas/agreement_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        agreement = _visible_agreement(self.request, kwargs["pk"])
        context = super().get_context_data(**kwargs)
        end = month_in_query(self.request.GET, None) or selectors.default_month(agreement)
        compliance = selectors.agreement_compliance(agreement=agreement, end=end)
        context.update(_document_context(agreement))
        context.update(
            compliance=compliance,
            chart=charts.compliance_chart(compliance),
            month_form=MonthForm(initial={"month": end.strftime("%Y-%m")}),
            versions=selectors.agreement_versions(user=user, agreement=agreement),
            can_sign=services.can_sign_now(user, agreement),
            can_review=agreement.is_in_force and services.can_manage(user),
            can_edit=agreement.is_draft and services.can_manage(user),
            reminders=agreement.review_reminders.all() if role_of(user) in STAFF_ROLES else (),
        )
        return context


def agreement_pdf(request, pk):
    """The same document as the page, as a PDF."""
    agreement = _visible_agreement(request, pk)
    html = render_to_string("slas/agreement_pdf.html", _document_context(agreement), request=request)
    stylesheet = CSS(filename=finders.find("slas/agreement-pdf.css"))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(stylesheets=[stylesheet])
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = slugify(f"{agreement.reference} version {agreement.version}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


def _act(request, pk, service, done):
    agreement = _visible_agreement(request, pk)
    try:
        result = service(user=request.user, agreement=agreement)
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
        return redirect(agreement)
    messages.success(request, done(result))
    return redirect(result)


@require_http_methods(["GET", "POST"])
def agreement_sign(request, pk):
    """GET: check your answers, the version to be signed and what it changes; POST: confirm and sign."""
    if request.method == "GET":
        agreement = _visible_agreement(request, pk)
        if not services.can_sign_now(request.user, agreement):
            messages.error(request, "You cannot sign this version of the agreement.")
            return redirect(agreement)
        context = {**_document_context(agreement), "changes": selectors.version_changes(agreement)}
        return render(request, "slas/agreement_sign.html", context)

    def done(agreement):
        if agreement.is_in_force:
            return f"Signed. Both sides have signed, so version {agreement.version} is now in force."
        return "Signed. The agreement comes into force once the other side signs."

    return _act(request, pk, services.agreement_sign, done)


@require_POST
def agreement_start_review(request, pk):
    return _act(
        request,
        pk,
        services.agreement_start_review,
        lambda draft: f"Review started: version {draft.version} is a draft copying the agreement in force.",
    )


class AgreementCreateView(ServiceFormView):
    form_class = AgreementForm
    heading = "Draft a new agreement"
    submit_label = "Create draft"
    success_message = "Draft agreement created."

    def dispatch(self, request, *args, **kwargs):
        if not services.can_manage(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return reverse("slas:agreement_list")

    def perform(self, form):
        return services.agreement_create(user=self.request.user, **form.cleaned_data)


class DraftPartCreateView(ServiceFormView):
    """A form adding a part to a draft agreement, through its service function."""

    service = None
    noun = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.agreement = get_object_or_404(Agreement.objects.visible_to(request.user), pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not services.can_manage(request.user):
            raise Http404
        self.heading = f"Add {self.noun} to {self.agreement.reference} version {self.agreement.version}"
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return self.agreement.get_absolute_url()

    def perform(self, form):
        self.service(user=self.request.user, agreement=self.agreement, **form.cleaned_data)
        return self.agreement


class StandardCreateView(DraftPartCreateView):
    form_class = StandardForm
    service = staticmethod(services.standard_add)
    noun = "a standard"
    submit_label = "Add standard"
    success_message = "Standard added."


class ScheduleCreateView(DraftPartCreateView):
    form_class = ScheduleForm
    service = staticmethod(services.schedule_add)
    noun = "a service schedule"
    submit_label = "Add schedule"
    success_message = "Service schedule added."


class ObligationCreateView(DraftPartCreateView):
    form_class = ObligationForm
    service = staticmethod(services.obligation_add)
    noun = "a customer obligation"
    submit_label = "Add obligation"
    success_message = "Customer obligation added."


class ReviewListView(generic.ListView):
    """Agreements due for review in the next 90 days, and those overdue: oneSource's staff only."""

    template_name = "slas/review_list.html"
    context_object_name = "agreements"

    def dispatch(self, request, *args, **kwargs):
        if role_of(request.user) not in STAFF_ROLES:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.reviews_due(user=self.request.user, today=self.today)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.today = timezone.localdate()

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=self.today, **kwargs)
