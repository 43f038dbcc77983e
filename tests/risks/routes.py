"""The risk register in the isolation matrix: a partner officer sees risks tied to their council's rows only."""

import datetime as dt

from tests.isolation import Route

from .factories import make_risk


def _risks(world):
    """A principal risk tied to Havering, one tied to Newham's own saving line, and one to no partner."""
    if "risks" not in world:
        from tests.savings.routes import _lines

        lines = _lines(world)
        havering = make_risk(world, title="Havering payroll risk", links={"partners": [world["havering"]]})
        newham = make_risk(
            world,
            title="Newham only saving risk",
            links={"saving_lines": [lines["other"]]},
            is_principal=True,
            cause="Newham cause text",
        )
        internal = make_risk(
            world,
            title="Internal server risk",
            area=world["areas"]["ICT"],
            user="admin",
            owner=world["users"]["director.ict"],
        )
        for risk in (havering, newham):
            risk.controls.create(description=f"Control of {risk.title}")
            risk.actions.create(
                description=f"Action on {risk.title}",
                owner=world["users"]["director.exchequer"],
                due_on=dt.date(2016, 6, 30),
            )
        world["risks"] = {"own": havering, "other": newham, "internal": internal}
    return world["risks"]


def _path(kind, suffix=""):
    return lambda w: f"/risks/{_risks(w)[kind].pk}/{suffix}"


def _api(prefix, kind, child=None):
    def make(world):
        risk = _risks(world)[kind]
        row = getattr(risk, child).first() if child else risk
        return f"/api/v1/{prefix}/{row.pk}/"

    return make


def _listing(path):
    def make(world):
        _risks(world)
        return path

    return make


OTHER = ["Newham only saving risk", "Internal server risk"]

PAGES = {
    "risks:risk_list": Route.listing(_listing("/risks/"), own=["Havering payroll risk"], other=OTHER),
    "risks:heat_map": Route.page(_listing("/risks/heat-map/"), other=OTHER),
    "risks:risk_create": Route.denied("/risks/new/"),
    "risks:risk_detail": Route.detail(own=_path("own"), other=_path("other")),
    "risks:risk_change": Route.denied(_path("own", "edit/")),
    "risks:risk_assess": Route.denied(_path("own", "assess/")),
    "risks:control_create": Route.denied(_path("own", "controls/new/")),
    "risks:action_create": Route.denied(_path("own", "actions/new/")),
    "risks:action_change": Route.denied(
        lambda w: f"/risks/{_risks(w)['own'].pk}/actions/{_risks(w)['own'].actions.first().pk}/"
    ),
}

API = {
    "risk-list": Route.listing(_listing("/api/v1/risks/"), own=["Havering payroll risk"], other=OTHER),
    "risk-detail": Route.detail(own=_api("risks", "own"), other=_api("risks", "other")),
    "risk-assess": Route.action(other=lambda w: f"/api/v1/risks/{_risks(w)['other'].pk}/assess/"),
    "riskassessment-list": Route.listing(
        _listing("/api/v1/risk-assessments/"),
        own=lambda w: [f'"risk": {_risks(w)["own"].pk},'],
        other=lambda w: [f'"risk": {_risks(w)[kind].pk},' for kind in ("other", "internal")],
    ),
    "riskassessment-detail": Route.detail(
        own=_api("risk-assessments", "own", "assessments"), other=_api("risk-assessments", "other", "assessments")
    ),
    "riskcontrol-list": Route.listing(
        _listing("/api/v1/risk-controls/"), own=["Control of Havering"], other=["Control of Newham"]
    ),
    "riskcontrol-detail": Route.detail(
        own=_api("risk-controls", "own", "controls"), other=_api("risk-controls", "other", "controls")
    ),
    "riskaction-list": Route.listing(
        _listing("/api/v1/risk-actions/"), own=["Action on Havering"], other=["Action on Newham"]
    ),
    "riskaction-detail": Route.detail(
        own=_api("risk-actions", "own", "actions"), other=_api("risk-actions", "other", "actions")
    ),
}
