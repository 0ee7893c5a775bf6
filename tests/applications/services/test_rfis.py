from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.enums import EventKind, NotificationKind, RfiState
from applications.exceptions import NotAllowed, StaleState, WorkflowError
from applications.models import Application, AuditEvent, Notification
from applications.services.documents import upload_document
from applications.services.drafts import save_draft
from applications.services.rfis import answer_rfi, cancel_rfi, raise_rfi
from tests import factories
from tests.applications.casework import (
    MONDAY,
    case,
    cleared_reviewer,
    freeze_today,
    requirements_of,
)

pytestmark = pytest.mark.django_db
from tests.applications.test_validators import PDF  # noqa: E402 - a real PDF, as uploads now parse them


def _raise(
    application, actor=None, steps=("benefit",), requirements=(), questions="Who are your clients?"
):
    return raise_rfi(
        actor=actor or application.case_officer,
        application_id=application.pk,
        questions=questions,
        steps=list(steps),
        requirement_ids=[r.pk for r in requirements],
    )


def test_raise_rfi_pauses_the_clock_and_sets_the_due_date_in_working_days(monkeypatch):
    application = case(clock_on=MONDAY)  # screening: 5 working days, due Mon 7 Dec
    (requirement,) = requirements_of(application)
    freeze_today(monkeypatch, MONDAY)

    rfi = _raise(application, steps=["need", "benefit"], requirements=[requirement])

    # 10 working days from Mon 30 Nov 2026, with Independence Day not yet reached.
    assert rfi.due_on == date(2026, 12, 14)
    assert (rfi.state, rfi.editable_steps) == (RfiState.OPEN, ["benefit", "need"])
    assert list(rfi.editable_requirements.all()) == [requirement]
    application = Application.objects.get(pk=application.pk)
    assert (application.clock_paused_on, application.clock_due_on) == (MONDAY, date(2026, 12, 7))
    event = AuditEvent.objects.get(kind=EventKind.RFI_RAISED)
    assert event.subject == f"rfi:{rfi.pk}"
    assert event.data["due_on"] == "2026-12-14"
    assert event.data["steps"] == ["benefit", "need"]
    assert event.data["requirements"] == [requirement.code]
    assert event.data["answers_before"] == {
        "consumer_benefit": application.consumer_benefit,
        "need_for_sandbox": application.need_for_sandbox,
        "rules_to_relax": application.rules_to_relax,
    }
    (notification,) = Notification.objects.all()
    assert (notification.kind, notification.recipient) == (
        NotificationKind.RFI_RAISED,
        application.created_by,
    )
    assert notification.context == {
        "reference": application.reference,
        "title": application.title,
        "due_on": "2026-12-14",
        "url": f"/applications/{application.pk}/",
    }


def test_answering_the_last_open_rfi_resumes_the_clock_by_the_working_days_paused(monkeypatch):
    application = case(clock_on=MONDAY)
    freeze_today(monkeypatch, MONDAY)
    first = _raise(application)
    second = _raise(application, questions="And your suppliers?")
    freeze_today(monkeypatch, date(2026, 12, 4))

    answer_rfi(actor=application.created_by, rfi_id=first.pk, answer="Retail clients in Astana.")
    application = Application.objects.get(pk=application.pk)
    assert application.clock_paused_on == MONDAY  # the second request is still open

    freeze_today(monkeypatch, date(2026, 12, 7))
    answer_rfi(actor=application.created_by, rfi_id=second.pk, answer="A licensed custodian.")

    application = Application.objects.get(pk=application.pk)
    # Paused Mon 30 Nov → Mon 7 Dec: 5 working days, so due Mon 7 Dec moves to Mon 14 Dec.
    assert (application.clock_paused_on, application.clock_paused_days) == (None, 5)
    assert application.clock_due_on == date(2026, 12, 14)


def test_answer_records_changed_answers_and_new_documents_and_notifies_the_staff(monkeypatch):
    application = case()
    (requirement,) = requirements_of(application)
    reviewer = cleared_reviewer(application)
    cleared_reviewer(application, declaration="recused")
    cleared_reviewer(application, declaration="pending")
    rfi = _raise(application, steps=["benefit"], requirements=[requirement])
    before = application.consumer_benefit
    member = application.created_by
    save_draft(
        actor=member,
        application_id=application.pk,
        base_revision=application.revision,
        answers={"consumer_benefit": "Fees of 0.5% for retail clients."},
    )
    upload_document(
        actor=member,
        application_id=application.pk,
        requirement_id=requirement.pk,
        upload=SimpleUploadedFile("plan-v2.pdf", PDF),
    )
    Notification.objects.all().delete()

    answer_rfi(actor=member, rfi_id=rfi.pk, answer="  Lower fees; see the new plan.  ")

    rfi.refresh_from_db()
    assert (rfi.state, rfi.answer, rfi.answered_by) == (
        RfiState.ANSWERED,
        "Lower fees; see the new plan.",
        member,
    )
    event = AuditEvent.objects.get(kind=EventKind.RFI_ANSWERED)
    assert event.data == {
        "rfi": rfi.pk,
        "answer": "Lower fees; see the new plan.",
        "changed_answers": [
            {
                "field": "consumer_benefit",
                "before": before,
                "after": "Fees of 0.5% for retail clients.",
            }
        ],
        "documents": [{"requirement": requirement.code, "version": 2, "file": "plan-v2.pdf"}],
    }
    notified = Notification.objects.order_by("recipient_id")
    assert {n.kind for n in notified} == {NotificationKind.RFI_ANSWERED}
    assert sorted(n.recipient_id for n in notified) == sorted(
        [application.case_officer_id, reviewer.pk]
    )
    assert notified[0].context == {
        "reference": application.reference,
        "title": application.title,
        "url": f"/applications/staff/{application.pk}/",
    }


def test_answer_requires_text():
    application = case()
    rfi = _raise(application)

    with pytest.raises(WorkflowError, match=r"^Write your answer to the regulator's questions\.$"):
        answer_rfi(actor=application.created_by, rfi_id=rfi.pk, answer=" ")


def test_answer_refused_to_other_organisations_and_staff():
    application = case()
    rfi = _raise(application)

    for actor in (factories.ApplicantFactory(), application.case_officer):
        with pytest.raises(NotAllowed, match=r"^You are not allowed to answer this request\.$"):
            answer_rfi(actor=actor, rfi_id=rfi.pk, answer="Yes")
    assert type(rfi).objects.get(pk=rfi.pk).state == RfiState.OPEN


def test_a_closed_rfi_cannot_be_answered_or_cancelled_again():
    application = case()
    rfi = _raise(application)
    answer_rfi(actor=application.created_by, rfi_id=rfi.pk, answer="Done")

    with pytest.raises(StaleState) as error:
        answer_rfi(actor=application.created_by, rfi_id=rfi.pk, answer="Again")
    assert str(error.value) == "This request for information is already answered. Reload the page."
    with pytest.raises(StaleState):
        cancel_rfi(actor=application.case_officer, rfi_id=rfi.pk, reason="Not needed")
    assert AuditEvent.objects.filter(kind=EventKind.RFI_ANSWERED).count() == 1


def test_cancel_requires_a_reason_and_resumes_the_clock(monkeypatch):
    application = case(clock_on=MONDAY)
    freeze_today(monkeypatch, MONDAY)
    rfi = _raise(application)
    with pytest.raises(WorkflowError, match=r"^Give a reason for cancelling the request\.$"):
        cancel_rfi(actor=application.case_officer, rfi_id=rfi.pk, reason="")
    freeze_today(monkeypatch, date(2026, 12, 1))

    cancel_rfi(actor=application.case_officer, rfi_id=rfi.pk, reason="Asked by mistake")

    rfi.refresh_from_db()
    application = Application.objects.get(pk=application.pk)
    assert rfi.state == RfiState.CANCELLED
    assert (application.clock_paused_on, application.clock_paused_days) == (None, 1)
    assert application.clock_due_on == date(2026, 12, 8)
    event = AuditEvent.objects.get(kind=EventKind.RFI_CANCELLED)
    assert event.data == {"rfi": rfi.pk, "reason": "Asked by mistake"}


@pytest.mark.parametrize(
    ("questions", "steps", "message"),
    [
        ("  ", [], "Write the questions for the applicant."),
        ("Why?", ["nope"], "Choose sections of the application form."),
    ],
)
def test_raise_rfi_refuses_bad_input(questions, steps, message):
    application = case()

    with pytest.raises(WorkflowError) as error:
        _raise(application, steps=steps, questions=questions)

    assert str(error.value) == message
    assert not application.rfis.exists()


def test_raise_rfi_refuses_documents_of_another_programme():
    application = case()

    with pytest.raises(WorkflowError, match=r"^Choose documents this programme asks for\.$"):
        _raise(application, requirements=[factories.DocumentRequirementFactory()])
    assert not application.rfis.exists()


@pytest.mark.parametrize("state", ["submitted", "decision_pending", "withdrawn", "not_eligible"])
def test_raise_rfi_only_in_screening_eligibility_or_evaluation(state):
    application = case(state)

    with pytest.raises(StaleState) as error:
        _raise(application, actor=factories.ProgrammeAdminFactory())

    assert str(error.value) == (
        "Information can be requested only during screening, eligibility or evaluation; "
        f"this application is now “{application.get_state_display()}”."
    )


def test_open_rfi_unlocks_only_the_named_steps_with_an_exact_message():
    application = case()
    _raise(application, steps=["benefit"])
    member = application.created_by

    saved = save_draft(
        actor=member,
        application_id=application.pk,
        base_revision=application.revision,
        answers={"consumer_benefit": "Cheaper remittances."},
    )
    assert saved.consumer_benefit == "Cheaper remittances."

    with pytest.raises(WorkflowError) as error:
        save_draft(
            actor=member,
            application_id=application.pk,
            base_revision=saved.revision,
            answers={"summary": "A new summary", "consumer_benefit": "Other"},
        )
    assert str(error.value) == (
        "“summary of the product” cannot be changed: the regulator's request for information "
        "unlocks only the sections it names."
    )
    assert Application.objects.get(pk=application.pk).consumer_benefit == "Cheaper remittances."


def test_after_the_answer_the_steps_lock_again():
    application = case()
    rfi = _raise(application, steps=["benefit"])
    answer_rfi(actor=application.created_by, rfi_id=rfi.pk, answer="Nothing to change")

    with pytest.raises(WorkflowError) as error:
        save_draft(
            actor=application.created_by,
            application_id=application.pk,
            base_revision=application.revision,
            answers={"consumer_benefit": "Late change"},
        )

    assert str(error.value) == "This application has been submitted and can no longer be edited."


def test_open_rfi_unlocks_only_the_named_documents():
    application = case(documents=2)
    named, other = requirements_of(application)
    _raise(application, steps=[], requirements=[named])
    member = application.created_by

    version = upload_document(
        actor=member,
        application_id=application.pk,
        requirement_id=named.pk,
        upload=SimpleUploadedFile("named.pdf", PDF),
    )
    assert version.number == 2
    with pytest.raises(WorkflowError) as error:
        upload_document(
            actor=member,
            application_id=application.pk,
            requirement_id=other.pk,
            upload=SimpleUploadedFile("other.pdf", PDF),
        )
    assert str(error.value) == (
        "This application has been submitted; its documents can no longer be changed."
    )
