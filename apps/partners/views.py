from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from apps.core.generic import PortalListView, ServiceFormView
from apps.core.policy import is_admin

from . import selectors, services
from .filters import PartnerFilterSet
from .forms import ContactForm, PartnerForm
from .models import Contact, Partner
from .pages import partner_page


class PartnerListView(PortalListView):
    model = Partner
    filterset_class = PartnerFilterSet
    template_name = "partners/partner_list.html"

    def get_queryset(self):
        return selectors.partner_list(user=self.request.user)


class PartnerDetailView(generic.TemplateView):
    template_name = "partners/partner_detail.html"

    def get_context_data(self, **kwargs):
        try:
            partner = selectors.partner_detail(user=self.request.user, slug=kwargs["slug"])
        except Partner.DoesNotExist:
            raise Http404("No such partner.") from None
        context = super().get_context_data(**kwargs)
        context.update(partner=partner, sections=partner_page.render_for(self.request.user, partner))
        return context


class AdminOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_admin(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class PartnerCreateView(AdminOnlyMixin, ServiceFormView):
    form_class = PartnerForm
    heading = "Add a partner or customer"
    submit_label = "Add partner"
    success_message = "{object} added."

    def get_cancel_url(self):
        return reverse("partners:partner_list")

    def perform(self, form):
        return services.partner_save(user=self.request.user, **form.cleaned_data)


class PartnerUpdateView(AdminOnlyMixin, ServiceFormView):
    form_class = PartnerForm
    submit_label = "Save changes"
    success_message = "{object} updated."

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.partner = get_object_or_404(Partner.objects.editable_by(request.user), slug=kwargs["slug"])
        self.heading = f"Change {self.partner.name}"

    def get_form_kwargs(self):
        # The form edits a copy, so that a rejected change never touches the partner in hand.
        return {**super().get_form_kwargs(), "instance": Partner.objects.get(pk=self.partner.pk)}

    def get_cancel_url(self):
        return self.partner.get_absolute_url()

    def perform(self, form):
        return services.partner_save(user=self.request.user, partner=self.partner, **form.cleaned_data)


class ContactFormView(AdminOnlyMixin, ServiceFormView):
    form_class = ContactForm
    success_message = "Contact saved."

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.partner = get_object_or_404(Partner.objects.editable_by(request.user), slug=kwargs["slug"])
        self.contact = (
            get_object_or_404(Contact.objects.editable_by(request.user), partner=self.partner, pk=kwargs["pk"])
            if "pk" in kwargs
            else None
        )
        self.heading = f"{'Change' if self.contact else 'Add'} a contact at {self.partner.short_name}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.contact:
            kwargs["instance"] = Contact.objects.get(pk=self.contact.pk)
        return kwargs

    def get_cancel_url(self):
        return self.partner.get_absolute_url()

    def perform(self, form):
        services.contact_save(user=self.request.user, partner=self.partner, contact=self.contact, **form.cleaned_data)
        return self.partner
