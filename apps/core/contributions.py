"""Parts of a page that other apps contribute.

An app low in the dependency order (core, partners) cannot import the apps above it, yet its
pages must show what they hold: the dashboard shows every app's figures, a partner's page its
agreements and scorecard. So the page owns a ``Contributions`` list, and each app above adds to
it in its ``AppConfig.ready()``::

    partner_page.register(Contribution("slas/partner_section.html", agreement_section, order=20))

The function gets the page's arguments (the user, and the partner on a partner page) and returns
the template's context, or ``None`` when it has nothing to show for them.

A contribution that names the models it shows (``shows``) is the same for every reader of one scope
(``policy.reader_scope``: the committee, or one partner's officers). For those readers it is drawn
once and kept in the cache under the scope and the day, never shared between two scopes, until a
row of one of those models is saved or deleted (``invalidate``); a contribution without ``shows``
(the reader's own enquiries and actions) is drawn for each request.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from . import generations

#: The generation (``apps.core.generations``) of the rows shared contributions show: bumped whenever one
#: changes, it names the drawn contributions it is valid for.
GENERATION = "contributions"
GENERATION_KEY = generations.key(GENERATION)
#: However a row changed (a queryset ``update()`` sends no signal), a drawn contribution is redrawn this soon.
KEEP_SECONDS = generations.KEEP_SECONDS
#: Saves of these fields alone change nothing a contribution shows (a sign-in records ``last_login``).
UNSHOWN_FIELDS = frozenset({"last_login", "updated_at"})

_shown_models: set[str] = set()


@dataclass(frozen=True)
class Contribution:
    template: str
    context: Callable
    order: int = 100
    #: The models ("app_label.Model") whose rows it shows; empty: drawn for each request.
    shows: tuple[str, ...] = ()


class Contributions:
    def __init__(self, name: str = ""):
        self.name = name
        self._items: dict[str, Contribution] = {}

    def register(self, contribution: Contribution) -> None:
        self._items[contribution.template] = contribution
        _shown_models.update(label.lower() for label in contribution.shows)

    def render_for(self, *args, scope: str | None = None) -> list[dict]:
        """Each contribution with something to show: its template and context, or (shared ones, for a
        reader ``scope``) its HTML drawn once for the scope."""
        items = sorted(self._items.values(), key=lambda c: c.order)
        drawn = self._drawn_for(scope, [item for item in items if item.shows], args) if scope else {}
        shown = []
        for item in items:
            if item.template in drawn:
                if drawn[item.template] is not None:
                    shown.append({"template": item.template, "html": mark_safe(drawn[item.template])})  # noqa: S308 - rendered by our templates
                continue
            context = item.context(*args)
            if context is not None:
                shown.append({"template": item.template, "context": context})
        return shown

    def _drawn_for(self, scope: str, items: list[Contribution], args) -> dict[str, str | None]:
        key = f"contributions:{self.name}:{scope}:{timezone.localdate().isoformat()}"
        # The generation is read before any row, so that a change committed while drawing names a newer one.
        found = cache.get_many([GENERATION_KEY, key])
        generation = generations.current(GENERATION, found)
        kept = found.get(key)
        if kept is not None and kept[0] == generation:
            return kept[1]
        drawn = {}
        for item in items:
            context = item.context(*args)
            drawn[item.template] = None if context is None else render_to_string(item.template, {"panel": context})
        cache.set(key, (generation, drawn), KEEP_SECONDS)
        return drawn


def invalidate() -> None:
    """Every drawn shared contribution is drawn again at its next request."""
    generations.start_new(GENERATION)


def _changed(sender, instance=None, update_fields=None, **kwargs):
    labels = {sender._meta.label_lower}
    if instance is not None:
        labels.add(type(instance)._meta.label_lower)
    if not labels & _shown_models or (update_fields and set(update_fields) <= UNSHOWN_FIELDS):
        return
    generations.bump(GENERATION)


def watch_shown_models() -> None:
    """Connects the invalidation to every save, delete and many-to-many change (core's ``ready()``)."""
    for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
        signal.connect(_changed, dispatch_uid=f"contributions-{name}")


def shown_models() -> list:
    """The models that shared contributions show (a test checks that each name is a model)."""
    return [apps.get_model(label) for label in sorted(_shown_models)]


#: The panels of the dashboard at ``/``; each function takes the user.
dashboard = Contributions("dashboard")
