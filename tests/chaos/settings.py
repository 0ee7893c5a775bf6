"""Settings of the chaos test's Celery workers: the production settings, mail into files."""

from portal.settings.base import *  # noqa: F403

EMAIL_BACKEND = "tests.chaos.mailbox.FileMailbox"
CELERY_IMPORTS = [*CELERY_IMPORTS, "tests.chaos.tasks"]  # noqa: F405
