"""The audit trail: every change recorded by django-simple-history, across all apps.

Each audited model has ``history = HistoricalRecords()``; this module reads their history tables
together, newest first, without knowing the domain apps (it asks simple-history's registry).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from heapq import merge
from itertools import islice

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst


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


PAGE_SIZE = 50
MAX_PAGES = 40


@dataclass(frozen=True)
class AuditPage:
    entries: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def audit_entries(
    *,
    model_label: str | None = None,
    username: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    page: int = 1,
    limit: int = PAGE_SIZE,
) -> AuditPage:
    """A page of the changes matching the filters, newest first.

    One query per audited model, plus one per kind of record the changes point to, whatever the rows.
    """
    page = max(1, min(page, MAX_PAGES))
    wanted = page * limit + 1
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
        streams.append([(row, audited) for row in rows[:wanted]])
    newest_first = list(islice(merge(*streams, key=lambda pair: pair[0].history_date, reverse=True), wanted))
    shown = newest_first[(page - 1) * limit : page * limit]
    previous = _previous_records(shown)
    changes = [(row, audited, _changes(row, previous.get((audited.label, row.history_id)))) for row, audited in shown]
    names = _related_names(changes)
    entries = [_entry(row, audited, row_changes, names) for row, audited, row_changes in changes]
    return AuditPage(entries=entries, number=page, has_next=len(newest_first) > page * limit)


def _previous_records(shown) -> dict:
    """The version before each changed row, by (model, history id): one query per kind of record shown."""
    by_model = defaultdict(list)
    for row, audited in shown:
        if row.history_type == "~":
            by_model[audited].append(row)
    previous = {}
    for audited, rows in by_model.items():
        pk = rows[0].instance_type._meta.pk.attname
        versions = defaultdict(list)
        history = audited.history_model.objects.filter(
            **{f"{pk}__in": {getattr(row, pk) for row in rows}},
            history_date__lt=max(row.history_date for row in rows),
        ).order_by("history_date", "history_id")
        for version in history:
            versions[getattr(version, pk)].append(version)
        for row in rows:
            earlier = [v for v in versions[getattr(row, pk)] if v.history_date < row.history_date]
            previous[(audited.label, row.history_id)] = earlier[-1] if earlier else None
    return previous


def _changes(row, previous):
    return row.diff_against(previous).changes if previous is not None else []


def _field(row, name):
    try:
        return row.instance_type._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _related_names(changes) -> dict:
    """The names of the records that changed foreign keys point to: one query per kind of record."""
    wanted = defaultdict(set)
    for row, _, row_changes in changes:
        for change in row_changes:
            field = _field(row, change.field)
            if field is not None and field.many_to_one:
                wanted[field.related_model].update(v for v in (change.old, change.new) if v is not None)
    return {
        (model, obj.pk): str(obj) for model, ids in wanted.items() for obj in model._default_manager.filter(pk__in=ids)
    }


def _readable(field, value, names) -> str:
    """A value as a person reads it: a record's name, a choice's label, Yes or No, a date in words."""
    if value is None or value == "":
        return "–"
    if field is None:
        return str(value)
    if field.many_to_one:
        return names.get((field.related_model, value), f"{field.related_model._meta.verbose_name} #{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j M Y H:i")
    if isinstance(value, dt.date):
        return date_format(value, "j M Y")
    return str(value)


def _record(row):
    """The record as this version stored it, built from the version alone (simple-history's ``instance``
    reads the live row again for the fields history leaves out, one query per row)."""
    model = row.instance_type
    return model(**{f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if hasattr(row, f.attname)})


def _link(row, record):
    if row.history_type == "-":
        return None
    get_url = getattr(record, "get_absolute_url", None)
    try:
        return get_url() if get_url else None
    except NoReverseMatch:
        return None


def _entry(row, audited, changes, names):
    record = _record(row)
    readable = []
    for change in changes:
        field = _field(row, change.field)
        label = capfirst(field.verbose_name) if field is not None else change.field
        readable.append((label, _readable(field, change.old, names), _readable(field, change.new, names)))
    return {
        "when": row.history_date,
        "who": row.history_user,
        "what": audited.name,
        "object": str(record) if row.history_type != "-" else f"{audited.name} #{row.id}",
        "url": _link(row, record),
        "action": {"+": "Created", "~": "Changed", "-": "Deleted"}[row.history_type],
        "changes": readable,
    }
