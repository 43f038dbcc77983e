"""Base views: every list and detail page starts from what the access policy lets the user see."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views import generic
from django_filters.views import FilterView

from .forms import apply_validation_error


class PolicyQuerysetMixin:
    """``get_queryset`` is the model's rows visible to the user, narrowed by ``scope_queryset``."""

    model = None

    def scope_queryset(self, queryset):
        return queryset

    def get_queryset(self):
        return self.scope_queryset(self.model.objects.visible_to(self.request.user))


class PortalListView(PolicyQuerysetMixin, FilterView):
    """A list page with its FilterSet. A filter value the form refuses is answered 400 with the error
    summary and the list unfiltered by it, never silently read as something else."""

    paginate_by = 25
    strict = False

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response


class PortalDetailView(PolicyQuerysetMixin, generic.DetailView):
    """A row the user may not see answers 404: the object is looked up in the visible rows only."""


class ServiceFormView(generic.FormView):
    """A form page whose valid data goes to a service function.

    Subclasses implement ``perform(form)``, which calls the service and returns the object to go to
    (or a URL). A ValidationError from the service is shown on the form, nothing having been written.
    """

    template_name = "includes/form_page.html"
    heading = ""
    submit_label = "Save"
    success_message = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            heading=self.heading,
            submit_label=self.submit_label,
            cancel_url=self.get_cancel_url(),
        )
        return context

    def get_cancel_url(self):
        return None

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            target = self.perform(form)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message.format(object=target))
        return redirect(target)
