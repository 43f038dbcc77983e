"""The audit trail: every change recorded by django-simple-history, across all apps.

Each audited model has ``history = HistoricalRecords()``; this module reads their history tables
together, newest first, without knowing the domain apps (it asks simple-history's registry).
"""

import datetime as dt
from dataclasses import dataclass
from heapq import merge
from itertools import islice

from django.apps import apps


@dataclass(frozen=True)
class AuditModel:
    label: str  # "partners.partner"
    name: str  # "partner"
    history_model: type


def audited_models() -> list[AuditModel]:
    found = []
    for model in apps.get_models():
        manager = getattr(model, "history", None)
        history_model = getattr(manager, "model", None)
        if history_model is not None and hasattr(history_model, "history_date") and history_model is not model:
            found.append(AuditModel(model._meta.label_lower, str(model._meta.verbose_name), history_model))
    return sorted(found, key=lambda m: m.name)


def audit_entries(
    *,
    model_label: str | None = None,
    username: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 50,
):
    """The newest ``limit`` changes matching the filters: one query per audited model, whatever the rows."""
    streams = []
    for audited in audited_models():
        if model_label and audited.label != model_label:
            continue
        rows = audited.history_model.objects.select_related("history_user").order_by("-history_date")
        if username:
            rows = rows.filter(history_user__username=username)
        if since:
            rows = rows.filter(history_date__date__gte=since)
        if until:
            rows = rows.filter(history_date__date__lte=until)
        streams.append([(row, audited) for row in rows[:limit]])
    newest_first = merge(*streams, key=lambda pair: pair[0].history_date, reverse=True)
    return [_entry(row, audited) for row, audited in islice(newest_first, limit)]


def _entry(row, audited):
    previous = row.prev_record if row.history_type == "~" else None
    changes = row.diff_against(previous).changes if previous is not None else []
    return {
        "when": row.history_date,
        "who": row.history_user,
        "what": audited.name,
        "object": str(row.instance) if row.history_type != "-" else f"{audited.name} #{row.id}",
        "action": {"+": "Created", "~": "Changed", "-": "Deleted"}[row.history_type],
        "changes": [(change.field, change.old, change.new) for change in changes],
    }
