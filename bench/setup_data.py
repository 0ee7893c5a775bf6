"""Bench fixture data: an applicant signed in, a draft, a PDF requirement with a 120 MB limit.
Prints the session cookie, a CSRF token and the upload address as JSON."""

import json

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.cached_db import SessionStore  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402
from django.urls import reverse  # noqa: E402

from tests import factories  # noqa: E402

applicant = factories.ApplicantFactory()
draft = factories.ApplicationFactory(organisation=applicant.organisation, created_by=applicant)
requirement = factories.DocumentRequirementFactory(
    programme=draft.cohort.programme, allowed_extensions="pdf", max_size_mb=120
)
session = SessionStore()
session[SESSION_KEY] = str(applicant.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = applicant.get_session_auth_hash()
session.create()
print(
    json.dumps(
        {
            "sessionid": session.session_key,
            "csrftoken": _get_new_csrf_string(),
            "upload_url": reverse(
                "applications:document-upload",
                kwargs={"pk": draft.pk, "requirement_id": requirement.pk},
            ),
        }
    )
)
