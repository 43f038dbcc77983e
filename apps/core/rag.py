"""Red, amber, green or grey: the one rule that rates a figure against its target.

Pages, the API and reports all call ``rag``; nothing else compares a figure with a target.

* grey: there is no figure or no target, so there is nothing to judge;
* green: the figure meets the target or beats it (exactly on target is green);
* amber: it misses the target by no more than the tolerance (exactly at the tolerance is amber);
* red: it misses by more than the tolerance.

"Beats" depends on polarity: for a higher-is-better KPI (a collection rate) more is better, for a
lower-is-better KPI (days to process a claim) less is better. The rule is symmetric: rating ``v``
against ``t`` with higher-is-better gives the same colour as rating ``-v`` against ``-t`` with
lower-is-better.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def rag(
    value: Decimal | None,
    target: Decimal | None,
    tolerance: Decimal | None = None,
    *,
    higher_is_better: bool,
) -> Rag:
    if value is None or target is None:
        return Rag.GREY
    tolerance = abs(Decimal(tolerance or 0))
    # How far the figure falls short of the target, in the KPI's own unit; negative when it beats it.
    shortfall = (target - value) if higher_is_better else (value - target)
    if shortfall <= 0:
        return Rag.GREEN
    if shortfall <= tolerance:
        return Rag.AMBER
    return Rag.RED
