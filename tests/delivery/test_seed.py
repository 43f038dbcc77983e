"""The seeded 2016/17 plan holds every row of the delivery plan table of the source document."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from apps.catalogue import seed as catalogue_seed
from apps.catalogue.models import ServiceArea
from apps.delivery import seed as delivery_seed
from apps.delivery.models import Activity, Outcome, Plan, StrategicObjective
from apps.partners import seed as partners_seed

SOURCE = Path(
    os.environ.get(
        "ONESOURCE_STRATEGIC_PLAN",
        settings.BASE_DIR / "docs" / "source" / "onesource-strategic-plan-2016.txt",
    )
)
CODES = {"All": "All", "BS": "BS", "HR": "HR", "Ex & Trans": "EXT", "Legal": "LEG", "AM": "AM", "ICT": "ICT"}
CODES["FIN"] = "FIN"
ACTIVITY = re.compile(r"\s*(.+?)\s*\((All|BS|HR|Ex & Trans|Legal|AM|ICT|FIN)(?: with (BS|HR|AM|ICT|FIN))?\)")


def squash(text):
    return re.sub(r"\s+", " ", text).strip()


def source_table():
    """Objectives, outcomes and activities read straight from the tab-separated table."""
    assert SOURCE.exists(), f"The source document is needed at {SOURCE} (or set ONESOURCE_STRATEGIC_PLAN)."
    rows = {}
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        rows[cells[0].strip()] = cells[1:7]
    vision = re.search(r'Our vision is: "(.+?)"', SOURCE.read_text(encoding="utf-8")).group(1)
    objectives = [squash(cell) for cell in rows["Strategic objectives"]]
    # The extracted text lost one cell break: "...wherever possible Cost effective..." are two outcomes.
    outcomes = [
        [squash(o) for o in re.split(r"\s{2,}|(?<=wherever possible) (?=Cost effective)", cell) if o.strip()]
        for cell in rows["Service level priorities / outcomes (All)"]
    ]

    def activities(cell):
        found = []
        for match in ACTIVITY.finditer(cell):
            codes = [CODES[match.group(2)]] + ([match.group(3)] if match.group(3) else [])
            found.append((squash(match.group(1)), codes))
        return found

    key = [activities(cell) for cell in rows["Key activities"]]
    corporate = [
        activities(cell)
        for cell in rows["Key activities to support the corporate priorities of the Councils we work with"]
    ]
    return vision, objectives, outcomes, key, corporate


@pytest.fixture
def seeded(db):
    partners_seed.load()
    catalogue_seed.load()
    return delivery_seed.load()


def codes_of(item):
    if item.all_areas:
        return ["All"]
    return sorted(area.code for area in item.lead_areas.all())


def test_the_seed_holds_every_objective_outcome_and_activity_of_the_source(seeded):
    vision, objectives, outcomes, key, corporate = source_table()
    plan = Plan.objects.get(financial_year=2016)
    assert plan.vision == vision
    assert plan.status == Plan.Status.PUBLISHED
    assert list(plan.objectives.order_by("position").values_list("title", flat=True)) == objectives
    assert len(objectives) == 6
    for index, objective in enumerate(plan.objectives.order_by("position")):
        assert [o.title for o in objective.outcomes.order_by("position")] == outcomes[index]
        for kind, source in ((Activity.Kind.KEY, key[index]), (Activity.Kind.CORPORATE, corporate[index])):
            seeded_rows = [
                (squash(a.title), sorted(codes_of(a)))
                for a in objective.activities.filter(kind=kind).order_by("position").prefetch_related("lead_areas")
            ]
            assert seeded_rows == [(title, sorted(codes)) for title, codes in source], objective.title
    assert Outcome.objects.count() == sum(map(len, outcomes)) == 17
    assert Activity.objects.filter(kind=Activity.Kind.KEY).count() == sum(map(len, key)) == 28
    assert Activity.objects.filter(kind=Activity.Kind.CORPORATE).count() == sum(map(len, corporate)) == 9
    assert seeded == (
        "plan 2016/17: 6 objectives, 17 outcomes, 28 key activities, 9 supporting the councils' priorities"
    )


def test_all_means_every_service_area_and_the_corporate_ones_name_their_councils(seeded):
    every = set(ServiceArea.objects.values_list("code", flat=True))
    reviews = Activity.objects.get(title="Review of all service level agreements")
    assert reviews.all_areas and {a.code for a in reviews.lead_areas.all()} == every
    council_tax = Activity.objects.get(title__startswith="To review the Council Tax and Housing Benefits")
    assert {a.code for a in council_tax.lead_areas.all()} == {"EXT", "BS"}
    assert not council_tax.supported_partners.exists()
    both = Activity.objects.get(title__startswith="Support both councils")
    assert set(both.supported_partners.values_list("slug", flat=True)) == {"havering", "newham"}
    three = Activity.objects.get(title__startswith="Support all three Councils")
    assert set(three.supported_partners.values_list("slug", flat=True)) == {"havering", "newham", "bexley"}
    assert three.starts_on.isoformat() == "2016-04-01" and three.due_on.isoformat() == "2017-03-31"


def test_loading_the_seed_again_changes_nothing(seeded):
    activity = Activity.objects.get(title="Review of all service level agreements")
    history_before = activity.history.count()
    counts = (StrategicObjective.objects.count(), Outcome.objects.count(), Activity.objects.count())
    delivery_seed.load()
    assert (StrategicObjective.objects.count(), Outcome.objects.count(), Activity.objects.count()) == counts
    assert activity.history.count() == history_before
    assert Plan.history.count() == 1
