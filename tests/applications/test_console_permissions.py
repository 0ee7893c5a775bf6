"""Every console endpoint × role: programme admins in, everyone else out with nothing changed;
the public register open to all."""

import pytest
from django.urls import reverse

from applications.models import AuditEvent, Cohort
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "applicant",
    "reviewer",
    "panel_reviewer",
    "inactive_admin",
    "programme_admin",
]
# (url name, which object's pk, method)
ENDPOINTS = [
    ("console:home", None, "get"),
    ("console:programme-create", None, "get"),
    ("console:programme-create", None, "post"),
    ("console:programme-detail", "programme", "get"),
    ("console:programme-edit", "programme", "get"),
    ("console:programme-edit", "programme", "post"),
    ("console:programme-criteria", "programme", "get"),
    ("console:programme-criteria", "programme", "post"),
    ("console:programme-requirements", "programme", "get"),
    ("console:programme-requirements", "programme", "post"),
    ("console:cohort-create", "programme", "get"),
    ("console:cohort-create", "programme", "post"),
    ("console:cohort-detail", "cohort", "get"),
    ("console:cohort-edit", "cohort", "get"),
    ("console:cohort-edit", "cohort", "post"),
    ("console:cohort-open", "cohort", "post"),
    ("console:cohort-close", "cohort", "post"),
    ("console:dashboard", None, "get"),
]
NUMBER_FIELDS = (
    "screening_days", "rfi_answer_days", "eligibility_days", "evaluation_days", "decision_days",
    "notify_days", "default_test_months", "max_test_months", "extension_notice_days",
)  # fmt: skip
# Enough for every console form to save something, so a refused request would show a change.
POST_DATA = {
    "code": "new-code",
    "name_en": "New name",
    "regulator": "NBK",
    "intake_mode": "cohort",
    "reviews_required": "2",
    "name": "2030-1",
    "kind": "rolling",
    "opens_at": "2030-01-01T09:00",
    "capacity": "5",
    "confirm": "on",
    **dict.fromkeys(NUMBER_FIELDS, "10"),
    "max_extensions": "1",
    "max_extension_months": "6",
    "form-TOTAL_FORMS": "0",
    "form-INITIAL_FORMS": "0",
}


def _user(role, cohort):
    if role == "anonymous":
        return None
    if role == "applicant":
        return factories.ApplicantFactory()
    if role in ("reviewer", "panel_reviewer"):
        reviewer = factories.ReviewerFactory()
        if role == "panel_reviewer":
            cohort.panel.add(reviewer)
        return reviewer
    return factories.ProgrammeAdminFactory(is_active=role != "inactive_admin")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "target", "method"), ENDPOINTS)
def test_console_matrix(client, role, name, target, method):
    cohort = factories.CohortFactory()
    objects = {"programme": cohort.programme, "cohort": cohort}
    url = reverse(name, kwargs={"pk": objects[target].pk}) if target else reverse(name)
    user = _user(role, cohort)
    if user is not None:
        client.force_login(user)
    events = AuditEvent.objects.count()
    cohorts_before = list(Cohort.objects.values())

    response = getattr(client, method)(url, POST_DATA if method == "post" else None)

    if role in ("anonymous", "inactive_admin"):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif role == "programme_admin":
        assert response.status_code == (200 if method == "get" else 302)
    else:
        assert response.status_code == 403
    if role != "programme_admin":
        assert AuditEvent.objects.count() == events
        assert list(Cohort.objects.values()) == cohorts_before


@pytest.mark.parametrize("name", ["console:programme-detail", "console:cohort-detail"])
def test_console_objects_that_do_not_exist_are_404_for_admins(client, programme_admin, name):
    client.force_login(programme_admin)

    assert client.get(reverse(name, kwargs={"pk": 424242})).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "applicant", "reviewer", "programme_admin"])
def test_register_is_public(client, role):
    user = _user(role, factories.CohortFactory())
    if user is not None:
        client.force_login(user)

    assert client.get(reverse("register:list")).status_code == 200


@pytest.mark.parametrize(
    ("role", "shown"), [("programme_admin", True), ("reviewer", False), ("applicant", False)]
)
def test_navbar_shows_console_to_programme_admins_only(client, role, shown, request):
    client.force_login(request.getfixturevalue(role))

    content = client.get(reverse("register:list")).content.decode()

    assert (f'href="{reverse("console:home")}"' in content) is shown
