"""Fixtures shared by the document tests."""

from tests.clamav import clamd, clamd_server  # noqa: F401 - fixtures, registered by being imported here
