import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Papers and packs are written under the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
