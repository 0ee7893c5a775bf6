"""Set-up shared by the screening, request-for-information and stage-move tests."""

from datetime import date

from applications.enums import Declaration, DocumentCheck
from applications.services.clocks import start_clock
from tests import factories

MONDAY = date(2026, 11, 30)


def case(state="screening", *, documents=1, accepted=False, clock_on=None, **kwargs):
    """A submitted application in `state` with a case officer and `documents` mandatory
    application documents, each with one clean version (accepted in screening if asked)."""
    application = factories.SubmittedApplicationFactory(
        state=state, case_officer=factories.ReviewerFactory(), **kwargs
    )
    # A reviewer made case officer gets an assignment and declares like every reviewer.
    application.cohort.panel.add(application.case_officer)
    factories.ReviewerAssignmentFactory(
        application=application,
        reviewer=application.case_officer,
        declaration=Declaration.NO_CONFLICT,
    )
    for number in range(documents):
        requirement = factories.DocumentRequirementFactory(
            programme=application.cohort.programme,
            code=f"doc-{application.pk}-{number}",
            name_en=f"Document {number + 1}",
            position=number,
        )
        document = factories.DocumentFactory(
            application=application,
            requirement=requirement,
            screening=DocumentCheck.ACCEPTED if accepted else DocumentCheck.UNCHECKED,
        )
        factories.DocumentVersionFactory(document=document, number=1)
    if clock_on is not None:
        stage = {"screening": "screening", "eligibility": "eligibility"}.get(state, "evaluation")
        application.save(update_fields=start_clock(application, stage, on=clock_on))
    return application


def cleared_reviewer(application, declaration=Declaration.NO_CONFLICT):
    reviewer = factories.ReviewerFactory()
    application.cohort.panel.add(reviewer)
    factories.ReviewerAssignmentFactory(
        application=application,
        reviewer=reviewer,
        declaration=declaration,
        recusal_reason="Former employer" if declaration == Declaration.RECUSED else "",
    )
    return reviewer


def freeze_today(monkeypatch, day: date) -> None:
    """The clock is a process edge: pin the date the services read."""
    monkeypatch.setattr("applications.services.clocks.today", lambda: day)


def requirements_of(application):
    return list(application.cohort.programme.document_requirements.order_by("position", "id"))
