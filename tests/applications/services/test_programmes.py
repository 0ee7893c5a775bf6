"""Programme settings, criteria and requirements: audited changes and versions that keep what a
submitted application was judged against."""

import pytest

from applications.enums import EventKind
from applications.exceptions import NotAllowed, WorkflowError
from applications.models import (
    Application,
    AuditEvent,
    Criterion,
    DocumentRequirement,
    ProgrammeVersion,
)
from applications.queries.programmes import criteria_for, requirements_for
from applications.services import programmes as services
from applications.services.applications import submit_application
from tests import factories

pytestmark = pytest.mark.django_db


def criterion_row(criterion=None, **changes):
    values = {name: getattr(criterion, name, None) for name in services.CRITERION_FIELDS}
    if criterion is None:
        values.update(
            code="NEW", name_en="New", name_ru="", name_kk="", guidance_en="", guidance_ru="",
            guidance_kk="", weight=10, is_gate=False, position=9,
        )  # fmt: skip
    values.update(changes)
    return {"id": criterion.pk if criterion else None, "delete": False, **values}


def requirement_row(requirement, **changes):
    values = {name: getattr(requirement, name) for name in services.REQUIREMENT_FIELDS}
    values.update(changes)
    return {"id": requirement.pk, "delete": False, **values}


def submit(draft):
    """Submit `draft` (a ready_draft) as its creator."""
    draft.declarations_accepted_at = None
    return submit_application(actor=draft.created_by, application_id=draft.pk)


def test_create_programme_records_the_settings(programme_admin):
    fields = {"code": "afsa-lab", "name_en": "AFSA Lab", "regulator": "AFSA", "reviews_required": 3}

    programme = services.create_programme(actor=programme_admin, fields=fields)

    assert programme.reviews_required == 3
    event = AuditEvent.objects.get(kind=EventKind.PROGRAMME_CREATED)
    assert event.actor == programme_admin
    assert event.subject == f"programme:{programme.pk}"
    assert event.data == {"before": None, "after": fields}


def test_create_programme_refuses_a_taken_code(programme_admin):
    factories.ProgrammeFactory(code="taken")

    with pytest.raises(WorkflowError, match="already uses this code"):
        services.create_programme(
            actor=programme_admin, fields={"code": "taken", "name_en": "X", "regulator": "Y"}
        )
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("role", ["reviewer", "applicant"])
def test_only_programme_admins_change_programmes(role, request):
    actor = request.getfixturevalue(role)
    programme = factories.ProgrammeFactory()

    with pytest.raises(NotAllowed):
        services.update_programme(
            actor=actor, programme_id=programme.pk, fields={"reviews_required": 5}
        )
    with pytest.raises(NotAllowed):
        services.save_criteria(actor=actor, programme_id=programme.pk, rows=[criterion_row()])
    programme.refresh_from_db()
    assert programme.reviews_required == 2
    assert not Criterion.objects.exists()


def test_update_programme_records_before_and_after_of_what_changed(programme_admin):
    programme = factories.ProgrammeFactory(blind_review=False, screening_days=5)

    changed = services.update_programme(
        actor=programme_admin,
        programme_id=programme.pk,
        fields={"blind_review": True, "screening_days": 5, "decision_days": 20},
    )

    assert changed == ["blind_review", "decision_days"]
    event = AuditEvent.objects.get(kind=EventKind.PROGRAMME_UPDATED)
    assert event.data == {
        "before": {"blind_review": False, "decision_days": 15},
        "after": {"blind_review": True, "decision_days": 20},
    }


def test_update_programme_without_changes_records_nothing(programme_admin):
    programme = factories.ProgrammeFactory()

    changed = services.update_programme(
        actor=programme_admin, programme_id=programme.pk, fields={"code": programme.code}
    )

    assert changed == []
    assert not AuditEvent.objects.exists()


def test_update_programme_refuses_another_programmes_code(programme_admin):
    factories.ProgrammeFactory(code="taken")
    programme = factories.ProgrammeFactory(code="mine")

    with pytest.raises(WorkflowError, match="already uses this code"):
        services.update_programme(
            actor=programme_admin, programme_id=programme.pk, fields={"code": "taken"}
        )


def test_unused_criterion_is_edited_in_place(programme_admin):
    criterion = factories.CriterionFactory(code="INNOV", weight=10)

    changed = services.save_criteria(
        actor=programme_admin,
        programme_id=criterion.programme_id,
        rows=[criterion_row(criterion, weight=25, name_ru="Инновационность")],
    )

    assert changed == 1
    assert Criterion.objects.count() == 1
    criterion.refresh_from_db()
    assert (criterion.weight, criterion.name_ru, criterion.retired_at) == (
        25,
        "Инновационность",
        None,
    )
    event = AuditEvent.objects.get(kind=EventKind.CRITERIA_CHANGED)
    (change,) = event.data["changes"]
    assert change["code"] == "INNOV"
    assert (change["before"]["weight"], change["after"]["weight"]) == (10, 25)


def test_unchanged_rows_record_nothing(programme_admin):
    criterion = factories.CriterionFactory()

    changed = services.save_criteria(
        actor=programme_admin, programme_id=criterion.programme_id, rows=[criterion_row(criterion)]
    )

    assert changed == 0
    assert not AuditEvent.objects.exists()


def test_criterion_used_by_a_submitted_application_is_retired_and_replaced(
    programme_admin, ready_draft
):
    programme = ready_draft.cohort.programme
    criterion = factories.CriterionFactory(programme=programme, code="RISK", weight=10)
    submitted = submit(ready_draft)

    services.save_criteria(
        actor=programme_admin,
        programme_id=programme.pk,
        rows=[criterion_row(criterion, weight=30, guidance_en="New guidance")],
    )

    criterion.refresh_from_db()
    assert criterion.retired_at is not None
    assert criterion.weight == 10  # what the submitted application is judged against
    replacement = Criterion.objects.filter(programme=programme).active().get()
    assert (replacement.code, replacement.weight, replacement.guidance_en) == (
        "RISK", 30, "New guidance",
    )  # fmt: skip
    submitted = Application.objects.get(pk=submitted.pk)
    assert list(criteria_for(submitted)) == [criterion]
    draft = factories.ApplicationFactory(cohort=ready_draft.cohort)
    assert list(criteria_for(draft)) == [replacement]


def test_deleting_a_used_criterion_retires_it_and_an_unused_one_goes(programme_admin, ready_draft):
    programme = ready_draft.cohort.programme
    used = factories.CriterionFactory(programme=programme, code="USED")
    submitted = submit(ready_draft)
    unused = factories.CriterionFactory(programme=programme, code="FRESH")

    changed = services.save_criteria(
        actor=programme_admin,
        programme_id=programme.pk,
        rows=[
            {**criterion_row(used), "delete": True},
            {**criterion_row(unused), "delete": True},
        ],
    )

    assert changed == 2
    assert not Criterion.objects.filter(pk=unused.pk).exists()
    used.refresh_from_db()
    assert used.retired_at is not None
    assert list(criteria_for(submitted)) == [used]
    assert not Criterion.objects.filter(programme=programme).active().exists()
    event = AuditEvent.objects.get(kind=EventKind.CRITERIA_CHANGED)
    assert [(c["code"], c["after"]) for c in event.data["changes"]] == [
        ("USED", None),
        ("FRESH", None),
    ]


def test_new_rows_are_added_and_empty_deleted_new_rows_ignored(programme_admin):
    programme = factories.ProgrammeFactory()

    changed = services.save_criteria(
        actor=programme_admin,
        programme_id=programme.pk,
        rows=[criterion_row(code="SCOPE", is_gate=True), {**criterion_row(), "delete": True}],
    )

    assert changed == 1
    assert list(Criterion.objects.values_list("code", "is_gate")) == [("SCOPE", True)]


def test_a_code_may_move_to_a_new_row_when_the_old_one_is_deleted(programme_admin):
    old = factories.CriterionFactory(code="FIT")

    services.save_criteria(
        actor=programme_admin,
        programme_id=old.programme_id,
        rows=[{**criterion_row(old), "delete": True}, criterion_row(code="FIT", weight=40)],
    )

    assert list(Criterion.objects.values_list("code", "weight")) == [("FIT", 40)]


def test_duplicate_codes_are_refused_and_nothing_is_saved(programme_admin):
    first = factories.CriterionFactory(code="ONE")
    factories.CriterionFactory(programme=first.programme, code="TWO")

    with pytest.raises(WorkflowError, match="same code"):
        services.save_criteria(
            actor=programme_admin,
            programme_id=first.programme_id,
            rows=[criterion_row(first, code="TWO", weight=50)],
        )

    first.refresh_from_db()
    assert (first.code, first.weight) == ("ONE", 10)
    assert not AuditEvent.objects.exists()


def test_a_row_of_another_programme_is_refused(programme_admin):
    elsewhere = factories.CriterionFactory()
    programme = factories.ProgrammeFactory()

    with pytest.raises(WorkflowError, match="reload the page"):
        services.save_criteria(
            actor=programme_admin, programme_id=programme.pk, rows=[criterion_row(elsewhere)]
        )


def test_used_requirement_is_retired_and_submitted_documents_keep_it(programme_admin, ready_draft):
    requirement = DocumentRequirement.objects.get(programme=ready_draft.cohort.programme)
    submitted = submit(ready_draft)

    services.save_requirements(
        actor=programme_admin,
        programme_id=requirement.programme_id,
        rows=[requirement_row(requirement, max_size_mb=50, allowed_extensions="pdf")],
    )

    requirement.refresh_from_db()
    assert (requirement.max_size_mb, requirement.allowed_extensions) == (5, "pdf,docx")
    assert requirement.retired_at is not None
    assert list(requirements_for(submitted)) == [requirement]
    draft = factories.ApplicationFactory(cohort=ready_draft.cohort)
    (current,) = requirements_for(draft, stage="application")
    assert (current.code, current.max_size_mb) == (requirement.code, 50)
    assert AuditEvent.objects.filter(kind=EventKind.REQUIREMENTS_CHANGED).count() == 1


def test_submissions_share_a_version_until_something_changes(programme_admin, ready_draft):
    programme = ready_draft.cohort.programme
    criterion = factories.CriterionFactory(programme=programme)
    first = submit(ready_draft)
    second_draft = factories.ApplicationFactory(cohort=ready_draft.cohort)
    factories.DocumentVersionFactory(
        document=factories.DocumentFactory(
            application=second_draft, requirement=programme.document_requirements.get()
        )
    )
    second_draft.declarations_accepted_at = None
    second = submit_application(actor=second_draft.created_by, application_id=second_draft.pk)

    assert first.programme_version_id == second.programme_version_id
    version = first.programme_version
    assert version.number == 1
    assert list(version.criteria.all()) == [criterion]
    assert version.settings["reviews_required"] == 2

    services.update_programme(
        actor=programme_admin, programme_id=programme.pk, fields={"reviews_required": 3}
    )
    third = services.version_for_submission(programme_id=programme.pk)

    assert third.number == 2
    assert third.settings["reviews_required"] == 3
    assert ProgrammeVersion.objects.filter(programme=programme).count() == 2
    first = Application.objects.get(pk=first.pk)
    assert first.programme_version.settings["reviews_required"] == 2


def test_version_names_only_rows_in_force(programme_admin):
    programme = factories.ProgrammeFactory()
    kept = factories.CriterionFactory(programme=programme, code="KEPT")
    factories.CriterionFactory(programme=programme, code="OLD", retired_at="2026-01-01T00:00Z")

    version = services.version_for_submission(programme_id=programme.pk)

    assert list(version.criteria.all()) == [kept]
    assert services.version_for_submission(programme_id=programme.pk) == version
