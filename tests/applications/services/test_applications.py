import pytest
from django.core import mail

from applications.enums import ApplicationState, EventKind, NotificationState
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import AuditEvent, Notification
from applications.services.applications import (
    start_application,
    start_screening,
    submit_application,
    withdraw_application,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_start_application_creates_a_draft_and_one_event(applicant, cohort):
    application = start_application(actor=applicant, cohort=cohort, title="Remittance token")

    assert application.state == ApplicationState.DRAFT
    assert application.organisation == applicant.organisation
    assert application.reference is None
    assert list(AuditEvent.objects.values_list("kind", flat=True)) == [
        EventKind.APPLICATION_CREATED
    ]


def test_start_application_refuses_a_closed_cohort(applicant):
    closed = factories.CohortFactory(
        closes_at=factories.timezone.now() - factories.timedelta(days=1),
        opens_at=factories.timezone.now() - factories.timedelta(days=10),
    )
    with pytest.raises(WorkflowError, match="not open"):
        start_application(actor=applicant, cohort=closed)


def test_start_application_needs_an_organisation(cohort):
    loner = factories.UserFactory()
    with pytest.raises(NotAllowed):
        start_application(actor=loner, cohort=cohort)


def test_submit_assigns_reference_records_event_and_emails_members(
    ready_draft, applicant, co_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit_application(
            actor=applicant, application_id=ready_draft.pk, ip_address="10.0.0.1"
        )

    assert submitted.state == ApplicationState.SUBMITTED
    assert submitted.reference.startswith("SBX-")
    assert submitted.reference.endswith("-00001")
    assert submitted.declarations_accepted_by == applicant
    event = AuditEvent.objects.get(kind=EventKind.APPLICATION_SUBMITTED)
    assert event.data == {
        "from": "draft",
        "to": "submitted",
        "reference": submitted.reference,
        "due_on": submitted.clock_due_on.isoformat(),
        "programme_version": 1,
    }
    assert event.ip_address == "10.0.0.1"
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [applicant.email, co_member.email]
    )
    assert submitted.reference in mail.outbox[0].subject
    assert set(Notification.objects.values_list("state", flat=True)) == {NotificationState.SENT}


def test_submit_lists_what_is_missing(draft, applicant):
    draft.summary = ""
    draft.save(update_fields=["summary"])
    factories.DocumentRequirementFactory(programme=draft.cohort.programme, name_en="AML policy")

    with pytest.raises(WorkflowError) as caught:
        submit_application(actor=applicant, application_id=draft.pk)

    assert caught.value.problems == [
        "Activity and product: “summary of the product” is not answered.",
        "Document “AML policy” is not uploaded.",
    ]
    draft.refresh_from_db(fields=["reference", "declarations_accepted_at"])
    assert draft.reference is None
    assert draft.declarations_accepted_at is None
    assert not AuditEvent.objects.filter(kind=EventKind.APPLICATION_SUBMITTED).exists()


def test_submit_refuses_a_document_still_being_checked(draft, applicant):
    requirement = factories.DocumentRequirementFactory(
        programme=draft.cohort.programme, name_en="Charter"
    )
    document = factories.DocumentFactory(application=draft, requirement=requirement)
    factories.DocumentVersionFactory(document=document, scan_status="pending")

    with pytest.raises(WorkflowError) as caught:
        submit_application(actor=applicant, application_id=draft.pk)

    assert caught.value.problems == [
        "Document “Charter” is still being checked; try again in a minute."
    ]


def test_submit_by_another_organisation_is_refused(ready_draft, other_applicant):
    with pytest.raises(NotAllowed):
        submit_application(actor=other_applicant, application_id=ready_draft.pk)


def test_submit_twice_gives_a_stale_state_error(ready_draft, applicant, co_member):
    submit_application(actor=applicant, application_id=ready_draft.pk)
    with pytest.raises(StaleState, match="Submitted"):
        submit_application(actor=co_member, application_id=ready_draft.pk)
    assert AuditEvent.objects.filter(kind=EventKind.APPLICATION_SUBMITTED).count() == 1


def test_references_count_up_within_a_year(cohort):
    first = factories.ApplicantFactory()
    second = factories.ApplicantFactory()
    requirement = factories.DocumentRequirementFactory(programme=cohort.programme)
    references = []
    for person in (first, second):
        app = factories.ApplicationFactory(
            organisation=person.organisation, cohort=cohort, created_by=person
        )
        factories.DocumentVersionFactory(
            document=factories.DocumentFactory(application=app, requirement=requirement)
        )
        references.append(submit_application(actor=person, application_id=app.pk).reference)
    assert [ref[-5:] for ref in references] == ["00001", "00002"]


def test_withdraw_needs_a_reason_and_records_it(ready_draft, applicant):
    submit_application(actor=applicant, application_id=ready_draft.pk)
    with pytest.raises(WorkflowError, match="reason"):
        withdraw_application(actor=applicant, application_id=ready_draft.pk, reason="  ")

    withdrawn = withdraw_application(
        actor=applicant, application_id=ready_draft.pk, reason="Pivoted to B2B"
    )

    assert withdrawn.state == ApplicationState.WITHDRAWN
    assert withdrawn.withdrawal_reason == "Pivoted to B2B"
    event = AuditEvent.objects.get(kind=EventKind.APPLICATION_WITHDRAWN)
    assert event.data == {"from": "submitted", "to": "withdrawn", "reason": "Pivoted to B2B"}
    assert event.applicant_visible is True


def test_start_screening_needs_an_admin_and_sets_the_case_officer(
    ready_draft, applicant, programme_admin, reviewer
):
    submit_application(actor=applicant, application_id=ready_draft.pk)
    with pytest.raises(NotAllowed):
        start_screening(actor=applicant, application_id=ready_draft.pk, case_officer=reviewer)

    screening = start_screening(
        actor=programme_admin, application_id=ready_draft.pk, case_officer=reviewer
    )

    assert screening.state == ApplicationState.SCREENING
    assert screening.case_officer == reviewer


def test_start_screening_refuses_an_applicant_as_case_officer(
    ready_draft, applicant, programme_admin
):
    submit_application(actor=applicant, application_id=ready_draft.pk)
    with pytest.raises(WorkflowError, match="case officer"):
        start_screening(
            actor=programme_admin, application_id=ready_draft.pk, case_officer=applicant
        )
