import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads go to a fresh folder per test, outside the web root."""
    settings.PEERPATH_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PEERPATH_PRIVATE_MEDIA_ROOT
