"""Writes that race: the database's own constraint decides, and the loser is told what is there now.

Two people can save the same new row at the same moment (the same empty cell of the entry grid, the
same request for a service): both checks pass, both inserts reach the database, and its unique
constraint lets one through. ``insert_or_conflict`` turns the other's IntegrityError into a
``Conflict``, carrying the row that won. A Conflict is a ValidationError, so every form page shows it
as a form error with nothing written; the API answers it 409 with the stored row (apps/core/api.py).
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


class Conflict(ValidationError):
    """Someone else's write got there first; ``current`` is what is stored now (or None)."""

    def __init__(self, message, *, current=None):
        super().__init__(message, code="conflict")
        self.current = current


def insert_or_conflict(instance, *, message: str, current: Callable[[], object], save=None) -> None:
    """Insert ``instance`` in a savepoint; if a unique constraint refuses it, raise Conflict with ``current()``.

    The savepoint keeps the caller's transaction usable for reading the winning row; the Conflict then
    rolls the caller's whole change back.
    """
    try:
        with transaction.atomic():
            (save or instance.save)()
    except IntegrityError:
        raise Conflict(message, current=current()) from None
