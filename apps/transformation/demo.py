"""Illustrative transformation projects for the demo users (DEBUG only)."""

import datetime as dt

from django.utils import timezone

from apps.accounts.models import User
from apps.catalogue.models import ServiceArea
from apps.core.periods import add_months_exact
from apps.core.seeding import upsert
from apps.partners.models import Partner

from .models import Project, Technique


def load(*, password) -> str:
    today = timezone.localdate()
    areas = {area.code: area for area in ServiceArea.objects.filter(code__in=["EXT", "ICT"])}
    if len(areas) < 2:
        return "no projects (service areas not seeded)"
    leads = {user.username: user for user in User.objects.filter(username__in=["director.exchequer", "director.ict"])}
    projects = [
        (
            "EXT",
            "Council Tax and Housing Benefits review",
            "Process review, new ways of working and restructure, to increase income collection and reduce costs.",
            Project.Stage.ANALYSIS,
            add_months_exact(today, -8),
            Project.Rag.AMBER,
            ["value-stream-mapping", "process-waste-analysis"],
            "director.exchequer",
        ),
        (
            "ICT",
            "Server infrastructure and cloud",
            "Upgrade ICT server infrastructure and exploit cloud opportunities.",
            Project.Stage.SCOPING,
            today - dt.timedelta(days=20),
            Project.Rag.GREEN,
            ["lean-systems-thinking"],
            "director.ict",
        ),
    ]
    partners = list(Partner.objects.filter(slug__in=["havering", "newham"]))
    for code, title, summary, stage, starts_on, rag, techniques, lead in projects:
        project, _ = upsert(
            Project,
            area=areas[code],
            title=title,
            defaults={
                "summary": summary,
                "stage": stage,
                "starts_on": starts_on,
                "planned_end_on": add_months_exact(starts_on, 12),
                "analysis_started_on": starts_on if stage == Project.Stage.ANALYSIS else None,
                "rag": rag,
                "lead": leads.get(lead),
            },
        )
        project.techniques.set(Technique.objects.filter(slug__in=techniques))
        project.customers_consulted.set(partners)
    return f"{len(projects)} transformation projects"
