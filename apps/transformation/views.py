from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from apps.core.generic import PortalListView, ServiceFormView
from apps.core.policy import is_admin, role_of
from apps.core.roles import Role

from . import selectors, services
from .filters import ProjectFilterSet
from .forms import ProjectForm, ProjectUpdateForm, StageForm
from .models import Project
from .pages import project_page


class ProjectListView(PortalListView):
    model = Project
    filterset_class = ProjectFilterSet
    template_name = "transformation/project_list.html"

    def get_queryset(self):
        return selectors.project_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(may_start=is_admin(user) or role_of(user) == Role.DIRECTOR, **kwargs)


class ProjectDetailView(generic.TemplateView):
    template_name = "transformation/project_detail.html"

    def get_context_data(self, **kwargs):
        try:
            project = selectors.project_detail(user=self.request.user, pk=kwargs["pk"])
        except Project.DoesNotExist:
            raise Http404("No such project.") from None
        return super().get_context_data(
            project=project,
            can_change=selectors.can_change_project(user=self.request.user, project=project),
            sections=project_page.render_for(self.request.user, project),
            **kwargs,
        )


class ProjectCreateView(ServiceFormView):
    form_class = ProjectForm
    heading = "Start a transformation project"
    submit_label = "Start project"
    success_message = "{object} started."

    def dispatch(self, request, *args, **kwargs):
        if not (is_admin(request.user) or role_of(request.user) == Role.DIRECTOR):
            raise PermissionDenied("Only an administrator or a director may start a project.")
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return reverse("transformation:project_list")

    def perform(self, form):
        return services.project_save(user=self.request.user, **form.cleaned_data)


class ProjectFormMixin:
    """The project must be visible (else 404) and changeable by the user (else 403)."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.project = get_object_or_404(Project.objects.visible_to(request.user), pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not selectors.can_change_project(user=request.user, project=self.project):
            raise PermissionDenied("Only the project's lead, the area's director or an administrator may change it.")
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return self.project.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(caption=self.project.title, **kwargs)


class ProjectChangeView(ProjectFormMixin, ServiceFormView):
    form_class = ProjectForm
    heading = "Change the project"
    submit_label = "Save changes"
    success_message = "{object} saved."

    def get_initial(self):
        initial = {name: getattr(self.project, name) for name in services.PROJECT_FIELDS}
        initial.update(
            techniques=list(self.project.techniques.all()),
            customers_consulted=list(self.project.customers_consulted.all()),
        )
        return initial

    def perform(self, form):
        return services.project_save(user=self.request.user, project=self.project, **form.cleaned_data)


class ProjectStageView(ProjectFormMixin, ServiceFormView):
    form_class = StageForm
    heading = "Move to another stage"
    submit_label = "Move"
    success_message = "Stage changed."

    def perform(self, form):
        services.project_move_stage(user=self.request.user, project=self.project, **form.cleaned_data)
        return self.project


class ProjectUpdateCreateView(ProjectFormMixin, ServiceFormView):
    form_class = ProjectUpdateForm
    heading = "Post an update"
    submit_label = "Post update"
    success_message = "Update posted."

    def get_initial(self):
        return {"rag": self.project.rag}

    def perform(self, form):
        services.project_update_post(user=self.request.user, project=self.project, **form.cleaned_data)
        return self.project
