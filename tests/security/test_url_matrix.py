"""Every URL pattern × every role × GET and POST (issue "Proof at scale", security matrix).

The URL patterns are found by walking the resolver, so a new URL fails `test_every_route_is_in_the_matrix`
until someone decides who may use it. Each cell is either in the explicit allow-list below
(then it only has to answer without a server error: the feature's own tests check what it does) or
must be refused — 403, 404, 405, or a redirect to the login or two-factor set-up page — with
nothing changed in the database or in file storage.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import ROLES, build_world, fill_route

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(ROLES)
APPLICANT_ORG = frozenset({"owner", "co_member"})
ANY_APPLICANT = frozenset({"owner", "co_member", "stranger"})
SIGNED_IN = EVERYONE - {"anonymous", "deactivated"}
STAFF = frozenset({"reviewer_assigned", "reviewer_unassigned", "reviewer_recused", "admin"})
ADMIN = frozenset({"admin"})
CLEARED_REVIEWER = frozenset({"reviewer_assigned"})  # assigned and declared no conflict
ON_CASE = ADMIN | CLEARED_REVIEWER
NOBODY = frozenset()

# allauth's own pages (sign-up, login, password, e-mail, two-factor): open by design, allauth
# decides what each does for whom; the matrix only asks that none of them fails.
DELEGATED_TO_ALLAUTH = "accounts/"

# route → (roles allowed to GET, roles allowed to POST)
MATRIX = {
    "": (EVERYONE, NOBODY),
    "healthz": (EVERYONE, NOBODY),
    "i18n/setlang/": (NOBODY, EVERYONE),
    # Organisation pages act on the user's own organisation: no id in the URL to guess.
    "organisation/": (ANY_APPLICANT, NOBODY),
    "organisation/new/": (ANY_APPLICANT, ANY_APPLICANT),
    "organisation/edit/": (ANY_APPLICANT, ANY_APPLICANT),
    "organisation/people/": (ANY_APPLICANT, ANY_APPLICANT),
    "organisation/members/invite/": (NOBODY, ANY_APPLICANT),
    "organisation/members/<int:user_id>/remove/": (NOBODY, {"owner"}),
    "organisation/members/<int:user_id>/admin/": (NOBODY, {"owner"}),
    "organisation/invitations/<int:pk>/revoke/": (NOBODY, {"owner"}),
    "organisation/join/<str:token>/": (SIGNED_IN, SIGNED_IN),
    # The applicant's face.
    "applications/new/<int:cohort_id>/": (ANY_APPLICANT, ANY_APPLICANT),
    "applications/<int:pk>/edit/<slug:step>/": (APPLICANT_ORG, APPLICANT_ORG),
    "applications/<int:pk>/documents/": (APPLICANT_ORG | ADMIN | CLEARED_REVIEWER, NOBODY),
    "applications/<int:pk>/documents/<int:requirement_id>/upload/": (NOBODY, APPLICANT_ORG),
    "applications/documents/<int:version_id>/download/": (
        APPLICANT_ORG | ADMIN | CLEARED_REVIEWER,
        NOBODY,
    ),
    # Staff who may see the application are sent to the staff page.
    "applications/<int:pk>/": (APPLICANT_ORG | ADMIN | CLEARED_REVIEWER, NOBODY),
    "applications/<int:pk>/submit/": (APPLICANT_ORG, APPLICANT_ORG),
    "applications/<int:pk>/receipt/": (APPLICANT_ORG | ADMIN | CLEARED_REVIEWER, NOBODY),
    "applications/<int:pk>/withdraw/": (APPLICANT_ORG, APPLICANT_ORG),
    # Regulator staff.
    "applications/staff/": (STAFF, NOBODY),
    "applications/staff/<int:pk>/": (ADMIN | CLEARED_REVIEWER, NOBODY),
    # Screening documents and their access log.
    "applications/staff/<int:pk>/documents/": (ADMIN | CLEARED_REVIEWER, NOBODY),
    "applications/staff/documents/<int:document_id>/correction/": (
        NOBODY,
        ADMIN | CLEARED_REVIEWER,
    ),
    "applications/staff/documents/<int:document_id>/access/": (ADMIN, NOBODY),
    # Screening, requests for information and stage moves: staff on the case (an admin, or a
    # reviewer cleared on it); confirming or sending back "not eligible" is for admins.
    "applications/staff/<int:pk>/screening/<int:requirement_id>/accept/": (NOBODY, ON_CASE),
    "applications/staff/<int:pk>/screening/<int:requirement_id>/to-correct/": (NOBODY, ON_CASE),
    "applications/staff/<int:pk>/rfis/new/": (ON_CASE, ON_CASE),
    "applications/staff/<int:pk>/rfis/<int:rfi_id>/cancel/": (NOBODY, ON_CASE),
    "applications/<int:pk>/rfis/<int:rfi_id>/answer/": (APPLICANT_ORG, APPLICANT_ORG),
    "applications/staff/<int:pk>/moves/package-complete/": (NOBODY, ON_CASE),
    "applications/staff/<int:pk>/moves/eligible/": (NOBODY, ON_CASE),
    "applications/staff/<int:pk>/moves/propose-not-eligible/": (NOBODY, ON_CASE),
    "applications/staff/<int:pk>/moves/confirm-not-eligible/": (NOBODY, ADMIN),
    "applications/staff/<int:pk>/moves/send-back-not-eligible/": (NOBODY, ADMIN),
    "applications/staff/<int:pk>/moves/evaluation-complete/": (NOBODY, ON_CASE),
    # Notifications: everyone signed in has a notification centre and preferences; a notification
    # is opened only by its recipient (the world's is the owner's); the outbox screen is for admins.
    "applications/notifications/": (SIGNED_IN, NOBODY),
    "applications/notifications/<int:pk>/read/": (NOBODY, {"owner"}),
    "applications/notifications/read-all/": (NOBODY, SIGNED_IN),
    "applications/notifications/preferences/": (SIGNED_IN, SIGNED_IN),
    "applications/staff/notifications/": (ADMIN, NOBODY),
    "applications/staff/notifications/<int:pk>/retry/": (NOBODY, ADMIN),
    # The programme admin console, and the public register anyone may read.
    "console/": (ADMIN, NOBODY),
    "console/programmes/new/": (ADMIN, ADMIN),
    "console/programmes/<int:pk>/": (ADMIN, NOBODY),
    "console/programmes/<int:pk>/edit/": (ADMIN, ADMIN),
    "console/programmes/<int:pk>/criteria/": (ADMIN, ADMIN),
    "console/programmes/<int:pk>/documents/": (ADMIN, ADMIN),
    "console/programmes/<int:pk>/cohorts/new/": (ADMIN, ADMIN),
    "console/cohorts/<int:pk>/": (ADMIN, NOBODY),
    "console/cohorts/<int:pk>/edit/": (ADMIN, ADMIN),
    "console/cohorts/<int:pk>/open/": (NOBODY, ADMIN),
    "console/cohorts/<int:pk>/close/": (NOBODY, ADMIN),
    "register/": (EVERYONE, NOBODY),
    # Decisions (four eyes, batched release) and testing supervision: programme admins only.
    "console/decisions/": (ADMIN, ADMIN),
    "console/decisions/application/<int:pk>/propose/": (ADMIN, ADMIN),
    "console/decisions/<int:decision_pk>/confirm/": (ADMIN, ADMIN),
    "console/decisions/<int:decision_pk>/send-back/": (ADMIN, ADMIN),
    "console/decisions/cohort/<int:pk>/release/": (ADMIN, ADMIN),
    "console/decisions/reports/overdue/": (ADMIN, ADMIN),
    "participations/staff/": (ADMIN, ADMIN),
    "participations/staff/<int:pk>/": (ADMIN, ADMIN),
    "participations/staff/<int:pk>/onboarding/": (ADMIN, ADMIN),
    "participations/staff/conditions/<int:condition_pk>/confirm/": (ADMIN, ADMIN),
    "participations/staff/<int:pk>/testing/": (ADMIN, ADMIN),
    "participations/staff/<int:pk>/suspend/": (ADMIN, ADMIN),
    "participations/staff/<int:pk>/reinstate/": (ADMIN, ADMIN),
    "participations/staff/<int:pk>/terminate/": (ADMIN, ADMIN),
    "participations/staff/<int:pk>/exit/": (ADMIN, ADMIN),
    "participations/staff/<int:pk>/exit/complete/": (ADMIN, ADMIN),
    "participations/staff/reports/<int:report_pk>/accept/": (ADMIN, ADMIN),
    "participations/staff/reports/<int:report_pk>/return/": (ADMIN, ADMIN),
    "participations/staff/extensions/<int:extension_pk>/approve/": (ADMIN, ADMIN),
    "participations/staff/extensions/<int:extension_pk>/refuse/": (ADMIN, ADMIN),
    # The participant's own pages: members of the applicant organisation.
    # Staff who may see the application are sent to the staff page.
    "participations/<int:pk>/": (APPLICANT_ORG | ON_CASE, APPLICANT_ORG),
    "participations/<int:pk>/decline/": (APPLICANT_ORG, APPLICANT_ORG),
    "participations/<int:pk>/extension/": (APPLICANT_ORG, APPLICANT_ORG),
    "participations/<int:pk>/reports/<int:report_pk>/file/": (APPLICANT_ORG, APPLICANT_ORG),
    "participations/<int:pk>/incidents/new/": (APPLICANT_ORG, APPLICANT_ORG),
    # Files attached to reports: uploaded by the participant, downloaded by its members and
    # programme admins (reviewers do not supervise testing).
    "participations/<int:pk>/reports/<int:report_pk>/attachments/": (NOBODY, APPLICANT_ORG),
    "participations/reports/attachments/<int:attachment_pk>/download/": (
        APPLICANT_ORG | ADMIN,
        NOBODY,
    ),
    # Queues and the working-day calendar.
    "applications/staff/queues/mine/": (STAFF, NOBODY),
    "applications/staff/queues/triage/": (STAFF, NOBODY),
    "applications/staff/queues/all/": (ADMIN, NOBODY),
    "applications/staff/calendar/": (ADMIN, NOBODY),
    "applications/staff/calendar/add/": (NOBODY, ADMIN),
    "applications/staff/calendar/<int:pk>/remove/": (NOBODY, ADMIN),
    # Assignment: programme admins only.
    "applications/staff/assignment/": (ADMIN, NOBODY),
    "applications/staff/assignment/<int:cohort_id>/preview/": (NOBODY, ADMIN),
    "applications/staff/assignment/<int:cohort_id>/automatic/": (NOBODY, ADMIN),
    "applications/staff/assignment/<int:cohort_id>/confirm/": (NOBODY, ADMIN),
    "applications/staff/<int:pk>/reviewers/assign/": (NOBODY, ADMIN),
    "applications/staff/<int:pk>/reviewers/<int:reviewer_id>/unassign/": (NOBODY, ADMIN),
    "applications/staff/<int:pk>/case-officer/": (NOBODY, ADMIN),
    "applications/staff/<int:pk>/notes/": (NOBODY, ADMIN | CLEARED_REVIEWER),
    # Each member of staff keeps their own conflict register; the world's line is the cleared
    # reviewer's.
    "applications/staff/conflicts/": (STAFF, NOBODY),
    "applications/staff/conflicts/add/": (NOBODY, STAFF),
    "applications/staff/conflicts/<int:conflict_id>/remove/": (NOBODY, CLEARED_REVIEWER),
    # Declaring and reviewing. Admins reach the declaration page and are sent to the staff page:
    # they do not declare.
    "applications/review/<int:pk>/declaration/": (
        ADMIN | CLEARED_REVIEWER,
        ADMIN | CLEARED_REVIEWER,
    ),
    "applications/review/<int:pk>/recuse/": (NOBODY, ADMIN | CLEARED_REVIEWER),
    "applications/review/<int:pk>/": (CLEARED_REVIEWER, NOBODY),
    "applications/review/<int:pk>/save/": (NOBODY, CLEARED_REVIEWER),
    "applications/review/<int:pk>/submit/": (NOBODY, CLEARED_REVIEWER),
    # The programme admin dashboard.
    "console/dashboard/": (ADMIN, NOBODY),
    "console/dashboard/refresh/": (NOBODY, ADMIN),
    # Exports (programme admins, like the console) and the printable dossier (whoever may open
    # the staff application page).
    "console/exports/applications.csv": (ADMIN, NOBODY),
    "console/exports/applications.xlsx": (ADMIN, NOBODY),
    "applications/staff/<int:pk>/dossier/": (ADMIN | CLEARED_REVIEWER, NOBODY),
}

# Which object each route's parameters name, where the parameter name alone does not tell.
DRAFT_ROUTES = {
    "applications/<int:pk>/edit/<slug:step>/",
    "applications/<int:pk>/documents/<int:requirement_id>/upload/",
    "applications/<int:pk>/submit/",
}


def all_routes(patterns=None, prefix="") -> list[str]:
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            routes += all_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            routes.append(prefix + str(pattern.pattern))
    return routes


def is_django_admin(route: str) -> bool:
    return route.startswith("django-admin/")


def allowed(route: str) -> tuple[frozenset, frozenset]:
    if route.startswith(DELEGATED_TO_ALLAUTH):
        return EVERYONE, EVERYONE
    if is_django_admin(route):
        return NOBODY, NOBODY  # superusers only, and no role here is a superuser
    return tuple(frozenset(roles) for roles in MATRIX[route])


def test_every_route_is_in_the_matrix():
    unknown = [
        route
        for route in all_routes()
        if not route.startswith(DELEGATED_TO_ALLAUTH)
        and not is_django_admin(route)
        and route not in MATRIX
    ]
    stale = [route for route in MATRIX if route not in all_routes()]

    assert (unknown, stale) == ([], [])


def _values(route: str, world) -> dict:
    objects = world.objects
    application = objects["draft"] if route in DRAFT_ROUTES else objects["submitted"]
    return {
        "pk": objects["invitation"].pk
        if "invitations/" in route
        else objects["notification"].pk
        if "notifications/" in route
        else objects["calendar_day"].pk
        if "calendar/" in route
        else objects["cohort"].programme_id
        if route.startswith("console/programmes/")
        else objects["cohort"].pk
        if route.startswith("console/cohorts/")
        else application.pk,
        "cohort_id": objects["cohort"].pk,
        "step": "activity",
        "requirement_id": objects["requirement"].pk,
        "version_id": objects["version"].pk,
        "document_id": objects["version"].document_id,
        "rfi_id": objects["rfi"].pk,
        "decision_pk": 1,
        "report_pk": 1,
        "item_pk": 1,
        "condition_pk": 1,
        "extension_pk": 1,
        "request_pk": 1,
        "user_id": world.users["co_member"].pk,
        "reviewer_id": world.users["reviewer_assigned"].pk,
        "conflict_id": objects["conflict"].pk,
        "token": objects["invitation_token"],
        "object_id": application.pk,
        "content_type_id": 1,
        "id": application.pk,
        "key": "not-a-key",
        "uidb36": "1",
        "attachment_pk": 1,
    }


def _writes(queries) -> list[str]:
    """The SQL statements that changed data, other than the session that signing in writes."""
    return [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in query["sql"]
    ]


def _stored_files() -> list[str]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return sorted(str(path) for path in root.rglob("*")) if root.exists() else []


def _is_refusal(response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 302:
        location = response["Location"]
        return location.startswith(
            (reverse("account_login"), reverse("mfa_activate_totp"), reverse("admin:login"))
        )
    return False


def _missing_headers(response) -> list[str]:
    """Headers every HTML page carries: a strict CSP that forbids framing, nosniff, a referrer
    policy (the same headers as X-Frame-Options for older browsers)."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    expected = {
        "Content-Security-Policy": "frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    return [name for name, needle in expected.items() if needle not in response.get(name, "")]


def _request(client, method: str, path: str):
    return client.get(path) if method == "GET" else client.post(path, {})


# The Django admin is one gate (superusers only): a few of its routes stand for all of them.
ADMIN_SAMPLES = (
    "django-admin/",
    "django-admin/applications/application/",
    "django-admin/applications/application/<path:object_id>/change/",
    "django-admin/applications/application/<path:object_id>/delete/",
)


def routes_to_request() -> list[str]:
    return sorted(
        route
        for route in all_routes()
        if not route.startswith(DELEGATED_TO_ALLAUTH)
        and (not is_django_admin(route) or route in ADMIN_SAMPLES)
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_route_answers_the_role_as_the_matrix_says(role, client):
    """One world per role, every route in turn. A POST the role is allowed to make is left to the
    feature's own tests (it may change the world the next routes rely on); everything refused is
    requested with both methods and must change nothing."""
    world = build_world()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    failures = []
    for route in routes_to_request():
        path = fill_route(route, _values(route, world))
        allowed_get, allowed_post = allowed(route)
        for method, allowed_roles in (("GET", allowed_get), ("POST", allowed_post)):
            if method == "POST" and role in allowed_roles:
                continue
            files_before = _stored_files()
            with CaptureQueriesContext(connection) as queries:
                response = _request(client, method, path)
            if role in allowed_roles:
                if response.status_code >= 500:
                    failures.append((route, method, response.status_code, "server error"))
                failures += [
                    (route, method, header, "missing") for header in _missing_headers(response)
                ]
            elif not _is_refusal(response):
                failures.append((route, method, response.status_code, "not refused"))
            elif _writes(queries) or _stored_files() != files_before:
                failures.append((route, method, response.status_code, "changed data"))

    assert failures == []
