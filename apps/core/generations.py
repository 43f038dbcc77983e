"""Generations: a token in the shared cache that changes whenever some rows change.

Something kept in the cache (a drawn dashboard panel, the count of a long list) names the generation
it was worked out in. A change to the rows it reads ``bump``s that generation, and the next reader
finds the kept value names an older one and works it out again. The generation is read before any row
is, so that a change committed while the value is being worked out names a newer one.
"""

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

#: However the rows changed (a queryset ``update()`` or a bulk write sends no signal), a kept value is
#: worked out again this soon.
KEEP_SECONDS = 5 * 60


def key(name: str) -> str:
    """The cache key holding the generation ``name``."""
    return f"{name}:generation"


def current(name: str, found: dict | None = None) -> str:
    """The generation ``name`` now, started when there is none; ``found`` is what a ``get_many`` that
    asked for ``key(name)`` with other keys already read (one round trip instead of two)."""
    generation = (found if found is not None else {key(name): cache.get(key(name))}).get(key(name))
    if generation is None:
        cache.add(key(name), uuid.uuid4().hex, None)
        generation = cache.get(key(name))
    return generation


def start_new(name: str) -> None:
    """A new generation ``name`` from now: whatever was kept under an older one is worked out again."""
    cache.set(key(name), uuid.uuid4().hex, None)


def bump(name: str) -> None:
    """A new generation now, and again once the change is committed: a reader in between read the rows
    as they were before it."""
    start_new(name)
    transaction.on_commit(lambda: start_new(name))


#: What ``look_up`` gives for a value not kept in the generations now.
MISSING = object()


def look_up(names: str | tuple[str, ...], key: str) -> tuple[object, tuple]:
    """The value kept under ``key`` in the generations ``names`` now (else ``MISSING``), and those
    generations, to ``keep`` a value worked out now under."""
    generation = tuple(current(name) for name in ((names,) if isinstance(names, str) else names))
    found = cache.get(key)
    if found is not None and found[0] == generation:
        return found[1], generation
    return MISSING, generation


def keep(key: str, generation: tuple, value, seconds: int = KEEP_SECONDS) -> None:
    cache.set(key, (generation, value), seconds)


def kept(names: str | tuple[str, ...], key: str, work_out: Callable, seconds: int = KEEP_SECONDS):
    """The value kept under ``key`` in the generations ``names`` now, else ``work_out()``, then kept."""
    value, generation = look_up(names, key)
    if value is MISSING:
        value = work_out()
        keep(key, generation, value, seconds)
    return value


def watch(name: str, *models) -> None:
    """Bump ``name`` at every save and delete of a row of these models (an app's ``ready()``)."""

    def changed(sender, **kwargs):
        bump(name)

    for model in models:
        for what, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                changed, sender=model, weak=False, dispatch_uid=f"generation-{name}-{model._meta.label_lower}-{what}"
            )
