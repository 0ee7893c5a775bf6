"""What the load test's virtual users need, made in the bench's database: signed-in sessions for
the demo applicant, reviewer and admin, a draft with a PDF requirement to upload to, the cases the
reviewer is cleared on, and one stored document version to download. Returns it as a dict
(bench/load.py writes it to a JSON file that bench/locustfile.py reads)."""

from django.middleware.csrf import _get_new_csrf_string

from bench.server import signed_in_session


def fixtures(reviewer, admin) -> dict:
    from applications import demo
    from applications.enums import Declaration
    from applications.models import Application, Document, ReviewerAssignment
    from portal.accounts.models import User
    from tests import factories

    applicant = User.objects.get(email=demo.APPLICANT.email)
    draft = Application.objects.filter(created_by=applicant, state="draft").order_by("id").first()
    requirement = load_requirement(draft.cohort.programme, "load-test-letter")
    cases = list(
        ReviewerAssignment.objects.filter(reviewer=reviewer, declaration=Declaration.NO_CONFLICT)
        .order_by("application_id")
        .values_list("application_id", flat=True)[:50]
    )
    if not cases:
        raise SystemExit(f"{reviewer.email} has declared on no case: the data set is incomplete")
    case = Application.objects.get(pk=cases[0])
    document, _created = Document.objects.get_or_create(
        application=case, requirement=load_requirement(case.cohort.programme, "load-test-plan")
    )
    version = document.versions.order_by("number").first() or factories.DocumentVersionFactory(
        document=document, number=1, uploaded_by=case.created_by
    )
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


def load_requirement(programme, code: str):
    """An optional PDF requirement of the programme, the same one on every run."""
    from applications.enums import DocumentStage
    from applications.models import DocumentRequirement

    requirement, _created = DocumentRequirement.objects.get_or_create(
        programme=programme,
        code=code,
        defaults={
            "name_en": "Load test letter",
            "stage": DocumentStage.APPLICATION,
            "mandatory": False,
            "allowed_extensions": "pdf",
            "max_size_mb": 5,
        },
    )
    return requirement
