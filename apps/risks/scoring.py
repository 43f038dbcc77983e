"""How a risk is scored and rated: likelihood 1–5 × impact 1–5, and the bands of the score.

The bands are defined here once. Pages, the heat map, filters, the API, reports and the pack call
``score_rag`` (a score's colour) or ``band_q`` (the same band as a database filter).
"""

from __future__ import annotations

from django.db.models import Q

from apps.core.rag import Rag

SCALE = (1, 2, 3, 4, 5)

LIKELIHOOD_LABELS = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
IMPACT_LABELS = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}

#: Each band: its lowest and highest score, its colour and name. Together they cover 1 to 25.
BANDS = (
    (1, 4, Rag.GREEN, "Low"),
    (5, 12, Rag.AMBER, "Medium"),
    (15, 25, Rag.RED, "High"),
)


def score(likelihood: int, impact: int) -> int:
    return likelihood * impact


def score_rag(value: int | None) -> Rag:
    """The colour of a score; grey when the risk has none."""
    if value is None:
        return Rag.GREY
    for low, high, rag, _ in BANDS:
        if low <= value <= high:
            return rag
    raise ValueError(f"A risk score runs from 1 to 25, not {value}.")


def band_label(rag: Rag | str) -> str:
    for _, _, band, label in BANDS:
        if band == rag:
            return label
    return "Not scored"


def band_q(rag: Rag | str, field: str = "residual_score") -> Q:
    """The rows whose ``field`` falls in the band of ``rag``."""
    for low, high, band, _ in BANDS:
        if band == rag:
            return Q(**{f"{field}__gte": low, f"{field}__lte": high})
    raise ValueError(f"No band is coloured {rag}.")


#: 1 to 5 as choices, for the API's likelihood and impact fields.
SCALE_CHOICES = [(n, str(n)) for n in SCALE]

BAND_CHOICES = [(str(rag), f"{label} ({low} to {high})") for low, high, rag, label in BANDS]
