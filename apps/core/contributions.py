"""Parts of a page that other apps contribute.

An app low in the dependency order (core, partners) cannot import the apps above it, yet its
pages must show what they hold: the dashboard shows every app's figures, a partner's page its
agreements and scorecard. So the page owns a ``Contributions`` list, and each app above adds to
it in its ``AppConfig.ready()``::

    partner_page.register(Contribution("slas/partner_section.html", agreement_section, order=20))

The function gets the page's arguments (the user, and the partner on a partner page) and returns
the template's context, or ``None`` when it has nothing to show for them.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Contribution:
    template: str
    context: Callable
    order: int = 100


class Contributions:
    def __init__(self):
        self._items: dict[str, Contribution] = {}

    def register(self, contribution: Contribution) -> None:
        self._items[contribution.template] = contribution

    def render_for(self, *args) -> list[dict]:
        shown = []
        for item in sorted(self._items.values(), key=lambda c: c.order):
            context = item.context(*args)
            if context is not None:
                shown.append({"template": item.template, "context": context})
        return shown


#: The panels of the dashboard at ``/``; each function takes the user.
dashboard = Contributions()
