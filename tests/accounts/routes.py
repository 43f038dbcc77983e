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
    # The user's own two-factor settings: nothing of any partner's on them.
    "accounts:two_factor": Route.page("/accounts/two-factor/"),
    "accounts:two_factor_setup": Route.page("/accounts/two-factor/set-up/"),
    # The second step of the user's own sign-in, and changes to their own account only.
    "accounts:two_factor_verify": Route.own_session("/accounts/two-factor/code/"),
    "accounts:two_factor_recovery_codes": Route.own_session("/accounts/two-factor/recovery-codes/"),
    "accounts:two_factor_turn_off": Route.own_session("/accounts/two-factor/turn-off/"),
}
