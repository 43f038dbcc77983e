from tests.isolation import Route

PAGES = {
    "accounts:login": Route.public("/accounts/login/"),
    # Signing in with a council account: the work email is POSTed to the start, which sends the
    # browser to the council's provider; the provider sends it back to the callback.
    "accounts:sso_start": Route.sign_in_step("/accounts/sso/", other=["London Borough of Newham"]),
    "accounts:sso_callback": Route.sign_in_step(
        "/accounts/sso/callback/?code=made-up&state=made-up", other=["London Borough of Newham"]
    ),
    "accounts:password_change": Route.page("/accounts/password/"),
    "accounts:password_change_done": Route.page("/accounts/password/done/"),
    # Signing out is a POST of the signed-in user's own session: nothing of another partner's.
    "accounts:logout": Route.own_session("/accounts/logout/"),
}
