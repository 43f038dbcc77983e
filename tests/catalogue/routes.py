from tests import factories as f
from tests.isolation import Route


def _request(world, partner, service):
    return f.CommissioningRequestFactory(
        partner=world[partner], service=world["services"][service], details=f"{partner} needs {service}"
    )


def _share(world, partner, percentage):
    return f.CostShareFactory(area=world["areas"]["EXT"], partner=world[partner], percentage=percentage)


def _shares(world):
    _share(world, "havering", "45.00")
    _share(world, "newham", "55.00")
    return "/services/cost-shares/"


def _requests(world):
    _request(world, "havering", "council_tax")
    _request(world, "newham", "payroll")
    return "/services/requests/"


# Another partner shows on a page as its name or a link to its page.
NEWHAM = ["London Borough of Newham", "/partners/newham/"]

PAGES = {
    # The catalogue itself is open to every partner; who takes what is not.
    "catalogue:service_list": Route.listing("/services/", own=["Payroll", "IT Support", "Council Tax and Benefits"]),
    "catalogue:service_detail": Route.page("/services/it-support/", other=NEWHAM),
    "catalogue:area_detail": Route.page("/services/areas/EXT/", other=NEWHAM),
    "catalogue:matrix": Route.listing("/services/matrix/", own=["Havering"], other=NEWHAM),
    "catalogue:subscription_list": Route.listing("/services/subscriptions/", own=["Havering"], other=NEWHAM),
    "catalogue:subscription_create": Route.denied("/services/subscriptions/new/"),
    "catalogue:request_list": Route.listing(
        _requests, own=["Council Tax and Benefits"], other=[*NEWHAM, ">Payroll</a>"]
    ),
    "catalogue:request_create": Route.page("/services/requests/new/", other=NEWHAM),
    "catalogue:request_detail": Route.detail(
        own=lambda w: _request(w, "havering", "council_tax").get_absolute_url(),
        other=lambda w: _request(w, "newham", "payroll").get_absolute_url(),
    ),
    "catalogue:request_decide": Route.action(
        other=lambda w: f"/services/requests/{_request(w, 'newham', 'payroll').pk}/withdraw/"
    ),
    "catalogue:cost_share_list": Route.listing(_shares, own=["45.00%"], other=[*NEWHAM, "55.00"]),
    "catalogue:cost_share_edit": Route.denied("/services/cost-shares/EXT/2016/"),
}

API = {
    "servicearea-list": Route.listing("/api/v1/service-areas/", own=['"EXT"', '"ICT"']),
    "servicearea-detail": Route.page("/api/v1/service-areas/EXT/", other=["newham"]),
    "service-list": Route.listing("/api/v1/services/", own=["payroll", "council-tax-and-benefits"]),
    "service-detail": Route.page("/api/v1/services/it-support/", other=["newham"]),
    "subscription-list": Route.listing("/api/v1/subscriptions/", own=['"havering"'], other=["newham"]),
    "subscription-detail": Route.detail(
        own=lambda w: f"/api/v1/subscriptions/{w['subscriptions']['havering_it'].pk}/",
        other=lambda w: f"/api/v1/subscriptions/{w['subscriptions']['newham_it'].pk}/",
    ),
    "costshare-list": Route.listing(
        lambda w: (_shares(w), "/api/v1/cost-shares/")[-1], own=['"havering"'], other=["newham"]
    ),
    "costshare-detail": Route.detail(
        own=lambda w: f"/api/v1/cost-shares/{_share(w, 'havering', '45.00').pk}/",
        other=lambda w: f"/api/v1/cost-shares/{_share(w, 'newham', '55.00').pk}/",
    ),
    "commissioningrequest-list": Route.listing(
        lambda w: (_requests(w), "/api/v1/commissioning-requests/")[-1],
        own=["council-tax-and-benefits"],
        other=["newham"],
    ),
    "commissioningrequest-detail": Route.detail(
        own=lambda w: f"/api/v1/commissioning-requests/{_request(w, 'havering', 'council_tax').pk}/",
        other=lambda w: f"/api/v1/commissioning-requests/{_request(w, 'newham', 'payroll').pk}/",
    ),
    **{
        f"commissioningrequest-{verb}": Route.action(
            other=lambda w, verb=verb: f"/api/v1/commissioning-requests/{_request(w, 'newham', 'payroll').pk}/{verb}/"
        )
        for verb in ("accept", "decline", "withdraw", "review")
    },
}
