"""What the load test's virtual users need, made in the bench's database: signed-in sessions for
the demo applicant, reviewer and admin, a draft with a PDF requirement to upload to, the cases the
reviewer is cleared on, and one stored document version to download. Returns it as a dict
(bench/load.py writes it to a JSON file that bench/locustfile.py reads)."""

from django.middleware.csrf import _get_new_csrf_string

from bench.server import signed_in_session


def fixtures(reviewer, admin) -> dict:
    from applications import demo
    from applications.enums import Declaration
    from applications.models import Application, ReviewerAssignment
    from portal.accounts.models import User
    from tests import factories

    applicant = User.objects.get(email=demo.APPLICANT.email)
    draft = Application.objects.filter(created_by=applicant, state="draft").order_by("id").first()
    requirement = factories.DocumentRequirementFactory(
        programme=draft.cohort.programme, allowed_extensions="pdf", max_size_mb=5
    )
    cases = list(
        ReviewerAssignment.objects.filter(reviewer=reviewer, declaration=Declaration.NO_CONFLICT)
        .order_by("application_id")
        .values_list("application_id", flat=True)[:50]
    )
    if not cases:
        raise SystemExit(f"{reviewer.email} has declared on no case: the data set is incomplete")
    case = Application.objects.get(pk=cases[0])
    document = factories.DocumentFactory(
        application=case,
        requirement=factories.DocumentRequirementFactory(programme=case.cohort.programme),
    )
    version = factories.DocumentVersionFactory(document=document, uploaded_by=case.created_by)
    submitted = list(
        Application.objects.filter(created_by=applicant)
        .exclude(state="draft")
        .values_list("id", flat=True)
    )
    return {
        "csrftoken": _get_new_csrf_string(),
        "sessions": {
            "applicant": signed_in_session(applicant),
            "reviewer": signed_in_session(reviewer),
            "admin": signed_in_session(admin),
        },
        "draft": draft.pk,
        "requirement": requirement.pk,
        "own_applications": submitted or [draft.pk],
        "cases": cases,
        "download": version.pk,
    }
