"""The production settings, made faster for the test suite. Nothing here changes behaviour."""

from portal.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Manifest storage needs collectstatic; tests render templates without running it.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Tasks run inline in unit tests; tests marked celery_worker switch to the real broker and worker.
CELERY_TASK_ALWAYS_EAGER = True
