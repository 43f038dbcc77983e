"""What every server-drawn chart shares: axis ticks at round numbers (0, 5, 10, 15, 20)."""

from __future__ import annotations

import math
from decimal import Decimal

NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


def nice_ticks(low, high, count: int = 5) -> list[Decimal]:
    """About ``count`` ticks at a round step (1, 2, 2.5 or 5 times a power of ten) covering low to high.

    The first tick is at or below ``low`` and the last at or above ``high``, so the axis runs from the
    first tick to the last.
    """
    low, high = Decimal(low), Decimal(high)
    if high <= low:
        high = low + 1
    rough = (high - low) / max(count - 1, 1)
    power = Decimal(10) ** math.floor(math.log10(rough))
    step = next(power * s for s in NICE_STEPS if power * s >= rough)
    first = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    last = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    ticks, tick = [], first
    while tick <= last:
        ticks.append(tick)
        tick += step
    return ticks
