import datetime as dt

import pytest
from django.utils import timezone

from apps.transformation.models import Project

from .factories import ProjectFactory, TechniqueFactory


@pytest.fixture
def project_world(world):
    today = timezone.localdate()
    vsm = TechniqueFactory(name="Value stream mapping", slug="value-stream-mapping")
    council_tax = ProjectFactory(
        area=world["areas"]["EXT"],
        title="Council Tax and Housing Benefits review",
        starts_on=today - dt.timedelta(days=300),
        planned_end_on=today + dt.timedelta(days=100),
        techniques=[vsm],
        customers_consulted=[world["havering"], world["newham"]],
        lead=world["users"]["officer.exchequer"],
    )
    servers = ProjectFactory(
        area=world["areas"]["ICT"],
        title="Server infrastructure and cloud",
        starts_on=today - dt.timedelta(days=30),
        planned_end_on=today + dt.timedelta(days=300),
        rag=Project.Rag.AMBER,
    )
    return {**world, "projects": {"council_tax": council_tax, "servers": servers}, "vsm": vsm}
