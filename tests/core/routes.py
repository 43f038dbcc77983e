from tests.isolation import Route

PAGES = {
    "core:dashboard": Route.page("/", other=["London Borough of Newham", "/partners/newham/"]),
    "core:accessibility": Route.public("/accessibility/"),
    "core:healthz": Route.public("/healthz"),
    "core:audit": Route.denied("/audit/"),
}
