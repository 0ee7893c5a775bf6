"""Fixtures shared by the document tests."""

import pytest

from tests.clamav import clamd, clamd_server  # noqa: F401 - fixtures, registered by being imported here


@pytest.fixture(autouse=True)
def _no_scanner_unless_asked(settings):
    """No virus scanner unless a test asks for the `clamd` fixture, whatever the environment says."""
    settings.CLAMAV_URL = None
