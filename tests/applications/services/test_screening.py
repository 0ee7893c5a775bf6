import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.enums import DocumentCheck, EventKind, NotificationKind
from applications.exceptions import NotAllowed, WorkflowError
from applications.models import AuditEvent, Document, DocumentVersion, Notification
from applications.services.documents import upload_document
from applications.services.screening import accept_document, mark_document_to_correct
from tests import factories
from tests.applications.casework import case, cleared_reviewer, requirements_of

pytestmark = pytest.mark.django_db
from tests.applications.test_validators import PDF  # noqa: E402 - a real PDF, as uploads now parse them


def test_accept_document_records_the_verdict_and_one_event():
    application = case()
    (requirement,) = requirements_of(application)
    officer = application.case_officer

    document = accept_document(
        actor=officer, application_id=application.pk, requirement_id=requirement.pk
    )

    document.refresh_from_db()
    assert (document.screening, document.screened_by, document.screening_note) == (
        DocumentCheck.ACCEPTED,
        officer,
        "",
    )
    event = AuditEvent.objects.get(kind=EventKind.DOCUMENT_ACCEPTED)
    assert event.data == {"requirement": requirement.code, "version": 1}
    assert (event.actor, event.applicant_visible) == (officer, True)


@pytest.mark.parametrize("status", ["pending", "quarantined"])
def test_accept_document_refuses_a_latest_version_that_is_not_clean(status):
    application = case()
    (requirement,) = requirements_of(application)
    document = Document.objects.get(application=application)
    factories.DocumentVersionFactory(document=document, number=2, scan_status=status)

    with pytest.raises(WorkflowError) as error:
        accept_document(
            actor=application.case_officer,
            application_id=application.pk,
            requirement_id=requirement.pk,
        )

    assert str(error.value) == "“Document 1” has no clean version to accept."
    assert Document.objects.get(pk=document.pk).screening == DocumentCheck.UNCHECKED
    assert not AuditEvent.objects.filter(kind=EventKind.DOCUMENT_ACCEPTED).exists()


def test_accept_document_refuses_a_missing_document():
    application = case(documents=0)
    requirement = factories.DocumentRequirementFactory(
        programme=application.cohort.programme, name_en="Exit plan"
    )

    with pytest.raises(WorkflowError, match=r"^“Exit plan” has no clean version to accept\.$"):
        accept_document(
            actor=application.case_officer,
            application_id=application.pk,
            requirement_id=requirement.pk,
        )


def test_mark_to_correct_requires_a_note():
    application = case()
    (requirement,) = requirements_of(application)

    with pytest.raises(WorkflowError, match=r"^Write what the applicant must correct\.$"):
        mark_document_to_correct(
            actor=application.case_officer,
            application_id=application.pk,
            requirement_id=requirement.pk,
            note="   ",
        )
    assert not AuditEvent.objects.filter(kind=EventKind.DOCUMENT_TO_CORRECT).exists()


def test_mark_to_correct_notifies_every_active_member():
    application = case()
    (requirement,) = requirements_of(application)
    member = application.created_by
    colleague = factories.ApplicantFactory(organisation=application.organisation)
    factories.ApplicantFactory(organisation=application.organisation, is_active=False)
    reviewer = cleared_reviewer(application)

    mark_document_to_correct(
        actor=reviewer,
        application_id=application.pk,
        requirement_id=requirement.pk,
        note="The plan is unsigned; upload the signed copy.",
    )

    document = Document.objects.get(application=application)
    assert (document.screening, document.screening_note, document.screened_by) == (
        DocumentCheck.TO_CORRECT,
        "The plan is unsigned; upload the signed copy.",
        reviewer,
    )
    event = AuditEvent.objects.get(kind=EventKind.DOCUMENT_TO_CORRECT)
    assert event.data == {
        "requirement": requirement.code,
        "version": 1,
        "note": "The plan is unsigned; upload the signed copy.",
    }
    notifications = Notification.objects.order_by("recipient_id")
    assert [n.recipient for n in notifications] == [member, colleague]
    assert {n.kind for n in notifications} == {NotificationKind.DOCUMENT_TO_CORRECT}
    assert notifications[0].context == {
        "reference": application.reference,
        "title": application.title,
        "document": "Document 1",
        "note": "The plan is unsigned; upload the signed copy.",
        "url": f"/applications/{application.pk}/documents/",
    }


@pytest.mark.parametrize("state", ["submitted", "eligibility", "evaluation", "withdrawn"])
def test_screening_only_during_completeness_screening(state):
    application = case(state)
    (requirement,) = requirements_of(application)
    admin = factories.ProgrammeAdminFactory()

    with pytest.raises(WorkflowError) as error:
        accept_document(actor=admin, application_id=application.pk, requirement_id=requirement.pk)

    assert str(error.value) == (
        "Documents are screened only during completeness screening; this application is now "
        f"“{application.get_state_display()}”."
    )


def test_screening_refuses_a_requirement_of_another_programme():
    application = case()
    foreign = factories.DocumentRequirementFactory()

    with pytest.raises(
        WorkflowError, match=r"^This document is not asked for by this programme\.$"
    ):
        accept_document(
            actor=application.case_officer,
            application_id=application.pk,
            requirement_id=foreign.pk,
        )


def test_screening_refuses_staff_not_on_the_case():
    application = case()
    (requirement,) = requirements_of(application)
    outsider = factories.ReviewerFactory()
    application.cohort.panel.add(outsider)

    with pytest.raises(NotAllowed, match=r"^You are not allowed to screen this application\.$"):
        accept_document(
            actor=outsider, application_id=application.pk, requirement_id=requirement.pk
        )


def test_a_new_version_of_a_document_to_correct_resets_its_screening_and_keeps_the_old_one():
    application = case()
    (requirement,) = requirements_of(application)
    mark_document_to_correct(
        actor=application.case_officer,
        application_id=application.pk,
        requirement_id=requirement.pk,
        note="Unsigned.",
    )
    old = DocumentVersion.objects.get()

    version = upload_document(
        actor=application.created_by,
        application_id=application.pk,
        requirement_id=requirement.pk,
        upload=SimpleUploadedFile("signed.pdf", PDF),
    )

    assert version.number == 2
    document = Document.objects.get(application=application)
    assert (document.screening, document.screening_note, document.screened_by) == (
        DocumentCheck.UNCHECKED,
        "",
        None,
    )
    assert list(document.versions.order_by("number").values_list("pk", "sha256")) == [
        (old.pk, old.sha256),
        (version.pk, version.sha256),
    ]
    # Exactly that document: once re-uploaded it is locked again.
    with pytest.raises(WorkflowError) as error:
        upload_document(
            actor=application.created_by,
            application_id=application.pk,
            requirement_id=requirement.pk,
            upload=SimpleUploadedFile("again.pdf", PDF),
        )
    assert str(error.value) == (
        "This application has been submitted; its documents can no longer be changed."
    )


def test_a_submitted_document_not_marked_stays_locked():
    application = case(documents=2)
    first, second = requirements_of(application)
    mark_document_to_correct(
        actor=application.case_officer,
        application_id=application.pk,
        requirement_id=first.pk,
        note="Unsigned.",
    )

    with pytest.raises(WorkflowError) as error:
        upload_document(
            actor=application.created_by,
            application_id=application.pk,
            requirement_id=second.pk,
            upload=SimpleUploadedFile("other.pdf", PDF),
        )

    assert str(error.value) == (
        "This application has been submitted; its documents can no longer be changed."
    )
    assert DocumentVersion.objects.filter(document__requirement=second).count() == 1
