import datetime as dt

from django.utils import timezone

from apps.risks import services


def make_risk(world, *, title, user="admin", links=None, scores=(4, 4, 3, 3, 2, 2), review_in_days=30, **fields):
    """A risk recorded through the register's own service, with its first assessment."""
    il, ii, rl, ri, tl, ti = scores
    data = {
        "title": title,
        "cause": fields.pop("cause", "Because of a cause"),
        "event": fields.pop("event", "there is a risk that something happens"),
        "effect": fields.pop("effect", "which would lead to an effect"),
        "category": fields.pop("category", "service_delivery"),
        "area": fields.pop("area", world["areas"]["EXT"]),
        "owner": fields.pop("owner", world["users"]["director.exchequer"]),
        "inherent_likelihood": il,
        "inherent_impact": ii,
        "residual_likelihood": rl,
        "residual_impact": ri,
        "target_likelihood": tl,
        "target_impact": ti,
        "review_on": timezone.localdate() + dt.timedelta(days=review_in_days),
        **fields,
        **(links or {}),
    }
    return services.risk_save(user=world["users"][user], **data)
