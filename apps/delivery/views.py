from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import generic

from apps.core.generic import ServiceFormView
from apps.core.policy import is_admin

from . import selectors, services
from .filters import ActivityFilterSet
from .forms import ActivityChangeForm, ActivityUpdateForm, PlanPublishForm, RollForwardForm
from .models import Activity, Plan
from .pages import activity_page, plan_page


class PlanView(generic.TemplateView):
    """The plan as the strategy's table; ``plan_current`` when no year is given."""

    template_name = "delivery/plan.html"

    def get_plan(self):
        if "year" in self.kwargs:
            try:
                return selectors.plan_for_year(user=self.request.user, financial_year=self.kwargs["year"])
            except Plan.DoesNotExist:
                raise Http404("No such plan.") from None
        return selectors.current_plan(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        context["plan"] = plan
        context["plans"] = Plan.objects.visible_to(self.request.user)
        if plan is None:
            return context
        rows = selectors.activity_rows(user=self.request.user).filter(objective__plan=plan)
        filterset = ActivityFilterSet(self.request.GET or None, queryset=rows, request=self.request, plan=plan)
        activities = filterset.qs if filterset.is_bound and filterset.is_valid() else rows
        columns = selectors.plan_table(plan=plan, activities=activities)
        chosen = filterset.form.cleaned_data.get("objective") if filterset.is_bound and filterset.is_valid() else None
        if chosen:
            columns = [column for column in columns if column.objective.pk == chosen.pk]
        context.update(
            filter=filterset,
            columns=columns,
            activity_count=sum(len(c.key_activities) + len(c.corporate_activities) for c in columns),
            filtered=filterset.is_bound,
            is_admin=is_admin(self.request.user),
            sections=plan_page.render_for(self.request.user, plan),
        )
        return context


class PlanListView(generic.TemplateView):
    template_name = "delivery/plan_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(plans=Plan.objects.visible_to(self.request.user), **kwargs)


class ActivityDetailView(generic.TemplateView):
    template_name = "delivery/activity_detail.html"

    def get_context_data(self, **kwargs):
        try:
            activity = selectors.activity_detail(user=self.request.user, pk=kwargs["pk"])
        except Activity.DoesNotExist:
            raise Http404("No such activity.") from None
        return super().get_context_data(
            activity=activity,
            updates=activity.updates.all(),
            changes=selectors.activity_changes(activity=activity),
            can_change=selectors.can_change_activity(user=self.request.user, activity=activity),
            sections=activity_page.render_for(self.request.user, activity),
            **kwargs,
        )


class ActivityFormMixin:
    """The activity must be visible (else 404) and changeable by the user (else 403)."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.activity = get_object_or_404(
            Activity.objects.visible_to(request.user).select_related("objective__plan"), pk=kwargs["pk"]
        )

    def dispatch(self, request, *args, **kwargs):
        if not selectors.can_change_activity(user=request.user, activity=self.activity):
            raise PermissionDenied("Only the activity's owner, their director or an administrator may change it.")
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return self.activity.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(caption=self.activity.title, **kwargs)


class ActivityUpdateCreateView(ActivityFormMixin, ServiceFormView):
    form_class = ActivityUpdateForm
    heading = "Post an update"
    submit_label = "Post update"
    success_message = "Update posted."

    def get_initial(self):
        return {"status": self.activity.status, "progress": self.activity.progress}

    def perform(self, form):
        services.activity_update_post(user=self.request.user, activity=self.activity, **form.cleaned_data)
        return self.activity


class ActivityChangeView(ActivityFormMixin, ServiceFormView):
    form_class = ActivityChangeForm
    heading = "Change the activity"
    submit_label = "Save changes"
    success_message = "Activity saved."

    def get_initial(self):
        return {name: getattr(self.activity, name) for name in services.ACTIVITY_FIELDS}

    def perform(self, form):
        return services.activity_change(user=self.request.user, activity=self.activity, **form.cleaned_data)


class PlanAdminMixin:
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.plan = get_object_or_404(Plan.objects.visible_to(request.user), financial_year=kwargs["year"])

    def dispatch(self, request, *args, **kwargs):
        if not is_admin(request.user):
            raise PermissionDenied("Only the oneSource performance team may do this.")
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self):
        return self.plan.get_absolute_url()


class PlanRollForwardView(PlanAdminMixin, ServiceFormView):
    form_class = RollForwardForm
    submit_label = "Start the new plan year"
    success_message = "{object} started as a draft."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}

    def get_context_data(self, **kwargs):
        self.heading = f"Roll forward the {self.plan.year_label} plan"
        intro = (
            "The objectives, their outcomes and every activity not yet complete or cancelled are copied into "
            "the new year as a draft plan, which you then publish."
        )
        return super().get_context_data(intro=intro, **kwargs)

    def perform(self, form):
        return services.plan_roll_forward(user=self.request.user, plan=self.plan, **form.cleaned_data)


class PlanPublishView(PlanAdminMixin, ServiceFormView):
    form_class = PlanPublishForm
    submit_label = "Publish"
    success_message = "{object} published."

    def get_context_data(self, **kwargs):
        self.heading = f"Publish the {self.plan.year_label} plan"
        intro = "Once published, partners and Joint Committee members see the plan."
        return super().get_context_data(intro=intro, **kwargs)

    def perform(self, form):
        return services.plan_publish(user=self.request.user, plan=self.plan)
