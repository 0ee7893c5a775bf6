import pytest

from applications.enums import EventKind
from applications.exceptions import NotAllowed, WorkflowError
from applications.models import AuditEvent, ConflictOfInterest
from applications.services.conflicts import (
    add_conflict,
    matching_conflicts,
    normalise_name,
    remove_conflict,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_add_conflict_stores_the_line_and_audits_it(reviewer):
    organisation = factories.OrganisationFactory()

    line = add_conflict(
        actor=reviewer,
        organisation=organisation,
        person_name="  Aigerim   Sadykova ",
        relation="family",
        details=" Sister-in-law of the CEO ",
    )

    assert (line.reviewer, line.organisation, line.person_name, line.details) == (
        reviewer,
        organisation,
        "Aigerim Sadykova",
        "Sister-in-law of the CEO",
    )
    event = AuditEvent.objects.get()
    assert event.kind == EventKind.CONFLICT_REGISTERED
    assert event.subject == f"conflict:{line.pk}"
    assert event.data == {
        "organisation": organisation.pk,
        "bin": "",
        "person_name": "Aigerim Sadykova",
        "relation": "family",
    }


def test_add_conflict_needs_someone_and_a_relation(reviewer):
    with pytest.raises(WorkflowError, match=r"Name an organisation, a BIN or a person\."):
        add_conflict(actor=reviewer, relation="family", person_name="   ")
    with pytest.raises(WorkflowError, match=r"Choose how you are related\."):
        add_conflict(actor=reviewer, relation="cousin", bin="123456789012")
    assert not ConflictOfInterest.objects.exists()


def test_add_conflict_refuses_applicants(applicant):
    with pytest.raises(NotAllowed):
        add_conflict(actor=applicant, relation="family", person_name="Someone")


def test_remove_conflict_only_removes_ones_own_line(reviewer):
    mine = factories.ConflictOfInterestFactory(reviewer=reviewer)
    theirs = factories.ConflictOfInterestFactory()

    with pytest.raises(NotAllowed):
        remove_conflict(actor=reviewer, conflict_id=theirs.pk)
    remove_conflict(actor=reviewer, conflict_id=mine.pk)

    assert list(ConflictOfInterest.objects.all()) == [theirs]
    event = AuditEvent.objects.get()
    assert (event.kind, event.subject) == (EventKind.CONFLICT_REMOVED, f"conflict:{mine.pk}")


def test_normalise_name_ignores_case_and_spacing():
    assert normalise_name("  Aigerim \t NURLANOVNA ") == "aigerim nurlanovna"


def test_matching_conflicts_by_organisation_bin_and_person():
    organisation = factories.OrganisationFactory()
    by_org = factories.ConflictOfInterestFactory(organisation=organisation)
    by_bin = factories.ConflictOfInterestFactory(organisation=None, bin=organisation.bin)
    by_person = factories.ConflictOfInterestFactory(organisation=None, person_name="ASEL bek")
    unrelated = factories.ConflictOfInterestFactory()

    matches = matching_conflicts(
        [by_org, by_bin, by_person, unrelated], organisation, ["Asel  Bek", "Other Person"]
    )

    assert [match.conflict for match in matches] == [by_org, by_bin, by_person]
    assert [match.reason for match in matches] == [
        f"the organisation {organisation.legal_name_en}",
        f"the BIN {organisation.bin}",
        "the person ASEL bek",
    ]


def test_a_foreign_organisation_without_bin_matches_no_empty_bin():
    organisation = factories.OrganisationFactory(
        bin=None, foreign_registration_number="HRB 12345", jurisdiction="foreign", country="DE"
    )
    line = factories.ConflictOfInterestFactory(organisation=None, bin="", person_name="Someone")

    assert matching_conflicts([line], organisation, []) == []
