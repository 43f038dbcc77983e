"""The business improvement techniques the Strategic Plan 2016 names for transformation projects."""

from apps.core.seeding import upsert

from .models import Technique

TECHNIQUES = [
    ("lean-systems-thinking", "Lean systems thinking"),
    ("value-stream-mapping", "Value stream mapping"),
    ("process-waste-analysis", "Process waste analysis"),
    ("activity-based-costing", "Activity-based costing"),
]


def load() -> str:
    for position, (slug, name) in enumerate(TECHNIQUES, start=1):
        upsert(Technique, slug=slug, defaults={"name": name, "position": position})
    return f"{len(TECHNIQUES)} business improvement techniques"
