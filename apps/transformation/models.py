"""Transformation projects: the Business Improvement team's reviews that re-engineer services."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apps.catalogue.models import ServiceArea
from apps.core.models import TimeStampedModel
from apps.core.periods import add_months_exact
from apps.core.policy import PolicyQuerySet, area_ids, role_of
from apps.core.roles import Role
from apps.partners.models import Partner

#: GOV.UK tag colours of the RAG statuses.
RAG_COLOURS = {"green": "green", "amber": "orange", "red": "red"}

#: "Transformation projects can take up to six months to fully analyse the functions."
ANALYSIS_MONTHS = 6


class Technique(models.Model):
    """A business improvement technique: lean systems thinking, value stream mapping, ..."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ProjectQuerySet(PolicyQuerySet):
    area_lookup = "area"

    def visible_to(self, user):
        # The programme is oneSource's own work: a partner officer does not see it.
        role = role_of(user)
        if role == Role.PARTNER_OFFICER:
            return self.none()
        if role == Role.OFFICER:
            # An officer sees their areas' projects, and any project they lead.
            return self.filter(Q(area__in=area_ids(user)) | Q(lead=user))
        return super().visible_to(user)

    def editable_by(self, user):
        if role_of(user) in (Role.DIRECTOR, Role.OFFICER):
            return self.filter(Q(pk__in=super().editable_by(user).values("pk")) | Q(lead=user))
        return super().editable_by(user)

    def with_flags(self, today=None):
        """``analysis_overdue``: in analysis for longer than six months."""
        today = today or timezone.localdate()
        cutoff = add_months_exact(today, -ANALYSIS_MONTHS)
        return self.annotate(
            analysis_overdue=models.Case(
                models.When(Q(stage=Project.Stage.ANALYSIS) & Q(analysis_started_on__lt=cutoff), then=True),
                default=False,
                output_field=models.BooleanField(),
            )
        )


class Project(TimeStampedModel):
    class Stage(models.TextChoices):
        SCOPING = "scoping", "Scoping"
        ANALYSIS = "analysis", "Analysis"
        RECOMMENDATIONS = "recommendations", "Recommendations"
        IMPLEMENTATION = "implementation", "Implementation"
        CLOSED = "closed", "Closed"

    class Rag(models.TextChoices):
        GREEN = "green", "Green"
        AMBER = "amber", "Amber"
        RED = "red", "Red"

    area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="transformation_projects")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
        limit_choices_to={"role__in": [Role.ADMIN, Role.DIRECTOR, Role.OFFICER]},
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.SCOPING)
    starts_on = models.DateField()
    planned_end_on = models.DateField()
    analysis_started_on = models.DateField(null=True, blank=True, editable=False)
    techniques = models.ManyToManyField(Technique, blank=True, related_name="projects")
    customers_consulted = models.ManyToManyField(Partner, blank=True, related_name="consulted_on_projects")
    consultation_notes = models.TextField(blank=True, help_text="Who else was consulted, and how.")
    rag = models.CharField("RAG status", max_length=5, choices=Rag.choices, default=Rag.GREEN)

    history = HistoricalRecords()
    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["area__display_order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "title"],
                name="project_unique_title_in_area",
                violation_error_message="This service area already has a project of that name.",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__gte=models.F("starts_on")),
                name="project_ends_after_start",
                violation_error_message="The planned end cannot be before the start.",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_on and self.planned_end_on and self.planned_end_on < self.starts_on:
            raise ValidationError({"planned_end_on": "The planned end cannot be before the start."})

    def get_absolute_url(self):
        return reverse("transformation:project_detail", kwargs={"pk": self.pk})

    @property
    def rag_colour(self) -> str:
        return RAG_COLOURS[self.rag]


class ProjectChildQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        return self.filter(project__in=Project.objects.visible_to(user))


class ProjectStageChange(models.Model):
    """A project moved from one stage to the next: when, by whom and why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=16, choices=Project.Stage.choices)
    to_stage = models.CharField(max_length=16, choices=Project.Stage.choices)
    changed_on = models.DateField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_stage=models.F("to_stage")),
                name="stage_change_changes_stage",
                violation_error_message="The project is already at that stage.",
            ),
        ]

    def __str__(self):
        return f"{self.project}: {self.get_from_stage_display()} to {self.get_to_stage_display()}"


class ProjectUpdate(models.Model):
    """A dated progress report on a project, with its RAG status."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    posted_on = models.DateField()
    rag = models.CharField("RAG status", max_length=5, choices=Project.Rag.choices)
    narrative = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="project_updates")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_on", "-created_at"]

    def __str__(self):
        return f"{self.project}: {self.get_rag_display()} on {self.posted_on:%d %B %Y}"

    @property
    def rag_colour(self) -> str:
        return RAG_COLOURS[self.rag]
