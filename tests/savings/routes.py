"""The savings tracker's routes in the isolation matrix (tests/isolation.py)."""

from apps.savings.selectors import reporting_year
from tests.isolation import Route
from tests.savings.factories import make_line


def _lines(world):
    """A line of Havering's (shared with Newham) and one of Newham's alone, with targets in the year the
    tracker opens on."""
    if "savings" not in world:
        year = reporting_year()
        world["savings"] = {
            "own": make_line(
                area=world["areas"]["ICT"],
                partners={world["havering"]: "60.00", world["newham"]: "40.00"},
                targets={year: "1000.00"},
                reference="ISO-HAVERING",
                title="Havering shared line",
            ),
            "other": make_line(
                area=world["areas"]["EXT"],
                partners={world["newham"]: "100.00"},
                targets={year: "700.00"},
                reference="ISO-NEWHAM",
                title="Newham only line",
            ),
        }
    return world["savings"]


def _url(kind, suffix=""):
    return lambda w: _lines(w)[kind].get_absolute_url() + suffix


def _tracker(world):
    _lines(world)
    return "/savings/"


def _export(partner):
    def make(world):
        _lines(world)
        return f"/savings/export/?partner={partner}"

    return make


PAGES = {
    "savings:tracker": Route.listing(_tracker, own=["ISO-HAVERING", "Havering"], other=["ISO-NEWHAM", "Newham only"]),
    # A workbook cannot be searched for markers (test_pages opens it); another partner's is a 404.
    "savings:tracker_export": Route.detail(own=_export("havering"), other=_export("newham")),
    "savings:my_savings": Route.denied("/savings/mine/"),
    "savings:line_detail": Route.detail(own=_url("own"), other=_url("other")),
    "savings:line_update": Route.denied(_url("own", "update/")),
    "savings:line_rephase": Route.denied(_url("own", "rephase/")),
}


def _api(kind, suffix=""):
    return lambda w: f"/api/v1/savings/lines/{_lines(w)[kind].reference}/{suffix}"


def _api_list(path):
    def make(world):
        _lines(world)
        return path

    return make


API = {
    "programme-list": Route.listing("/api/v1/savings/programmes/"),
    "programme-detail": Route.page(
        lambda w: f"/api/v1/savings/programmes/{_lines(w)['own'].programme.slug}/", other=["ISO-NEWHAM"]
    ),
    "savingline-list": Route.listing(_api_list("/api/v1/savings/lines/"), own=["ISO-HAVERING"], other=["ISO-NEWHAM"]),
    "savingline-detail": Route.detail(own=_api("own"), other=_api("other")),
    "savingline-record-update": Route.action(other=_api("other", "updates/")),
    "yeartarget-list": Route.listing(
        _api_list("/api/v1/savings/year-targets/"), own=["ISO-HAVERING"], other=["ISO-NEWHAM"]
    ),
    "yeartarget-detail": Route.detail(
        own=lambda w: f"/api/v1/savings/year-targets/{_lines(w)['own'].targets.get().pk}/",
        other=lambda w: f"/api/v1/savings/year-targets/{_lines(w)['other'].targets.get().pk}/",
    ),
    "savingsupdate-list": Route.listing(_api_list("/api/v1/savings/updates/"), other=["ISO-NEWHAM"]),
    "savingsupdate-detail": Route.detail(
        own=lambda w: f"/api/v1/savings/updates/{_update(w, 'own').pk}/",
        other=lambda w: f"/api/v1/savings/updates/{_update(w, 'other').pk}/",
    ),
}


def _update(world, kind):
    from apps.savings.models import SavingsUpdate

    line = _lines(world)[kind]
    return SavingsUpdate.objects.get_or_create(
        line=line,
        line_version=2,
        defaults={
            "financial_year": 2016,
            "period": "2016-09-01",
            "forecast": 1,
            "achieved": 1,
            "status": "on_track",
            "recorded_by": world["users"]["admin"],
        },
    )[0]
