from tests.isolation import Route

PAGES = {
    "accounts:login": Route.public("/accounts/login/"),
    "accounts:password_change": Route.page("/accounts/password/"),
    "accounts:password_change_done": Route.page("/accounts/password/done/"),
    # Signing out is a POST of the signed-in user's own session: nothing of another partner's.
    "accounts:logout": Route.own_session("/accounts/logout/"),
}
