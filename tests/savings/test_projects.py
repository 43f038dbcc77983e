"""The savings lines behind a transformation project, shown on both sides."""

import pytest
from django.core.exceptions import ValidationError

from apps.savings import services
from tests.savings.factories import make_line
from tests.transformation.factories import ProjectFactory


@pytest.fixture
def project_and_line(world):
    area = world["areas"]["EXT"]
    project = ProjectFactory(area=area, title="Council Tax review")
    line = make_line(
        area=area,
        partners={world["havering"]: "50.00", world["newham"]: "50.00"},
        targets={2016: "100000.00"},
        reference="OBC-EXT-01",
        title="Council Tax restructure",
    )
    services.saving_line_link_project(user=world["users"]["director.exchequer"], line=line, project=project)
    return project, line


def test_a_project_page_lists_the_savings_it_must_deliver(project_and_line, client_for):
    project, line = project_and_line
    page = client_for("director.exchequer").get(project.get_absolute_url()).content.decode()
    assert "Savings this project must deliver" in page
    assert "OBC-EXT-01: Council Tax restructure" in page and "No update yet" in page
    line_page = client_for("director.exchequer").get(f"/savings/lines/{line.reference}/").content.decode()
    assert "Council Tax review" in line_page


def test_only_the_areas_director_links_a_line_and_only_to_a_project_of_its_area(project_and_line, world):
    project, line = project_and_line
    ict_project = ProjectFactory(area=world["areas"]["ICT"], title="Cloud")
    with pytest.raises(ValidationError, match="another service area"):
        services.saving_line_link_project(user=world["users"]["admin"], line=line, project=ict_project)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.saving_line_link_project(user=world["users"]["director.ict"], line=line, project=None)
    line.refresh_from_db()
    assert line.project == project
