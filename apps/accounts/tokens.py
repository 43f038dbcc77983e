"""The API token, handed out for a password and, to anyone with two-factor on, a current code
(apps/accounts/authentication.py says why)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken

from apps.core.policy import must_use_two_factor

from .selectors import has_two_factor
from .services import TwoFactorThrottled, second_factor_check

SET_UP_FIRST = "Set up two-factor sign-in in the portal (Two-factor sign-in, at the top of every page) first."


class TwoFactorAuthTokenSerializer(AuthTokenSerializer):
    code = serializers.CharField(
        label=_("Code"),
        required=False,
        allow_blank=True,
        max_length=32,
        help_text="The 6-digit code of the user's authenticator app, or a recovery code: needed by "
        "anyone who has two-factor sign-in on.",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = attrs["user"]
        if has_two_factor(user):
            code = attrs.get("code") or ""
            if not code:
                raise serializers.ValidationError({"code": ["Enter the code from your authenticator app."]})
            try:
                device = second_factor_check(user=user, code=code)
            except TwoFactorThrottled as throttled:
                raise serializers.ValidationError({"code": [throttled.message]}) from throttled
            if device is None:
                raise serializers.ValidationError({"code": ["The code is not right."]})
        elif must_use_two_factor(user):
            raise serializers.ValidationError({"code": [SET_UP_FIRST]})
        return attrs


class ObtainTwoFactorAuthToken(ObtainAuthToken):
    serializer_class = TwoFactorAuthTokenSerializer


obtain_auth_token = ObtainTwoFactorAuthToken.as_view()
