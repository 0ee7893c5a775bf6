from decimal import Decimal

import pytest
from django.utils import timezone

from applications.exceptions import EditConflict, NotAllowed, WorkflowError
from applications.models import Application, DraftRevision
from applications.services.applications import submit_application
from applications.services.drafts import save_draft
from tests import factories


def reload(application):
    # The FSM state field is protected, so refresh_from_db() cannot be used.
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def co_member(applicant):
    return factories.ApplicantFactory(
        organisation=applicant.organisation,
        is_organisation_admin=False,
        full_name="Aigerim Sadykova",
    )


def test_save_draft_changed_answer_records_revision(applicant, draft):
    saved = save_draft(
        actor=applicant,
        application_id=draft.pk,
        base_revision=0,
        answers={"summary": "New summary"},
    )

    draft = reload(draft)
    assert (saved.revision, draft.revision, draft.summary) == (1, 1, "New summary")
    revision = DraftRevision.objects.get(application=draft)
    assert (revision.number, revision.fields, revision.saved_by) == (1, ["summary"], applicant)


def test_save_draft_stale_base_disjoint_fields_are_merged(applicant, co_member, draft):
    save_draft(
        actor=co_member, application_id=draft.pk, base_revision=0, answers={"summary": "Theirs"}
    )

    save_draft(
        actor=applicant,
        application_id=draft.pk,
        base_revision=0,
        answers={"consumer_benefit": "Mine"},
    )

    draft = reload(draft)
    assert (draft.summary, draft.consumer_benefit, draft.revision) == ("Theirs", "Mine", 2)
    assert list(
        DraftRevision.objects.order_by("number").values_list("number", "fields", "saved_by")
    ) == [
        (1, ["summary"], co_member.pk),
        (2, ["consumer_benefit"], applicant.pk),
    ]


def test_save_draft_same_field_from_stale_base_conflicts(applicant, co_member, draft):
    save_draft(
        actor=co_member, application_id=draft.pk, base_revision=0, answers={"summary": "Theirs"}
    )

    with pytest.raises(EditConflict) as caught:
        save_draft(
            actor=applicant,
            application_id=draft.pk,
            base_revision=0,
            answers={"summary": "Mine", "consumer_benefit": "Also mine"},
        )

    theirs = DraftRevision.objects.get()
    local_time = timezone.localtime(theirs.saved_at).strftime("%H:%M")
    assert caught.value.fields == ["summary"]
    assert str(caught.value).startswith(
        f"Aigerim Sadykova changed “summary of the product” at {local_time}, after you opened this page."
    )
    draft = reload(draft)
    # Nothing of the refused save is written, not even the answer that did not clash.
    assert (draft.summary, draft.consumer_benefit, draft.revision) == (
        "Theirs",
        factories.COMPLETE_ANSWERS["consumer_benefit"],
        1,
    )
    assert DraftRevision.objects.count() == 1


def test_save_draft_same_field_from_current_base_overwrites(applicant, co_member, draft):
    save_draft(
        actor=co_member, application_id=draft.pk, base_revision=0, answers={"summary": "Theirs"}
    )

    save_draft(
        actor=applicant, application_id=draft.pk, base_revision=1, answers={"summary": "Mine"}
    )

    draft = reload(draft)
    assert (draft.summary, draft.revision) == ("Mine", 2)


def test_save_draft_unchanged_values_make_no_revision(applicant, draft):
    answers = {
        "summary": factories.COMPLETE_ANSWERS["summary"],
        "max_per_client_amount": Decimal("1000.00"),
        "client_types": ["retail_individual"],
    }

    saved = save_draft(actor=applicant, application_id=draft.pk, base_revision=0, answers=answers)

    assert saved.revision == 0
    assert not DraftRevision.objects.exists()


def test_save_draft_unchanged_values_from_stale_base_do_not_conflict(applicant, co_member, draft):
    save_draft(
        actor=co_member, application_id=draft.pk, base_revision=0, answers={"summary": "Theirs"}
    )

    saved = save_draft(
        actor=applicant, application_id=draft.pk, base_revision=0, answers={"summary": "Theirs"}
    )

    assert saved.revision == 1


@pytest.mark.parametrize("outsider", ["other_applicant", "reviewer", "programme_admin"])
def test_save_draft_non_member_is_refused(request, draft, outsider):
    user = request.getfixturevalue(outsider)

    with pytest.raises(NotAllowed):
        save_draft(
            actor=user, application_id=draft.pk, base_revision=0, answers={"summary": "Hijacked"}
        )

    draft = reload(draft)
    assert (draft.summary, draft.revision) == (factories.COMPLETE_ANSWERS["summary"], 0)


def test_save_draft_submitted_application_is_refused(applicant, ready_draft):
    ready_draft.declarations_accepted_at = timezone.now()
    ready_draft.save(update_fields=["declarations_accepted_at"])
    submit_application(actor=applicant, application_id=ready_draft.pk)

    with pytest.raises(WorkflowError) as caught:
        save_draft(
            actor=applicant,
            application_id=ready_draft.pk,
            base_revision=0,
            answers={"summary": "Late edit"},
        )

    assert str(caught.value) == "This application has been submitted and can no longer be edited."
    assert (
        Application.objects.get(pk=ready_draft.pk).summary == factories.COMPLETE_ANSWERS["summary"]
    )
    assert not DraftRevision.objects.exists()


def test_save_draft_unknown_field_is_a_programming_error(applicant, draft):
    with pytest.raises(ValueError, match="state"):
        save_draft(
            actor=applicant, application_id=draft.pk, base_revision=0, answers={"state": "approved"}
        )


def test_save_draft_refuses_a_merge_that_breaks_the_limits(draft, applicant, co_member):
    base = draft.revision
    save_draft(
        actor=co_member,
        application_id=draft.pk,
        base_revision=base,
        answers={"max_per_client_amount": Decimal("5000")},
    )

    with pytest.raises(WorkflowError, match="aggregate limit"):
        save_draft(
            actor=applicant,
            application_id=draft.pk,
            base_revision=base,
            answers={"max_aggregate_amount": Decimal("3000")},
        )

    saved = reload(draft)
    assert (saved.max_per_client_amount, saved.max_aggregate_amount) == (
        Decimal("5000"),
        Decimal("200000"),
    )
