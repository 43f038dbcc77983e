import pytest


@pytest.fixture(autouse=True)
def _office_hours(settings, tmp_path):
    settings.OFFICE_HOURS = ("09:00", "17:00")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
