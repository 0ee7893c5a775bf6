"""Settings for the bench's own processes: the portal's, with the floors routed beside it."""

from portal.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
