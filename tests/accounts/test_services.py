from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from applications.enums import EventKind, NotificationKind
from applications.exceptions import NotAllowed, WorkflowError
from applications.models import AuditEvent, Notification
from portal.accounts import services
from portal.accounts.forms import OrganisationForm, PeopleFormSet
from portal.accounts.models import Invitation, Jurisdiction, LegalForm, Organisation, Person, User
from tests import factories

pytestmark = pytest.mark.django_db


def _fields(**overrides) -> dict:
    return {
        "legal_name_en": "Steppe Pay LLP",
        "legal_name_ru": "ТОО «Степ Пэй»",
        "legal_name_kk": "«Степ Пэй» ЖШС",
        "legal_form": LegalForm.LLP,
        "jurisdiction": Jurisdiction.KZ,
        "bin": factories.make_bin(),
        "foreign_registration_number": "",
        "country": "",
        "address": "Kabanbay Batyr 15, Astana",
        "website": "",
        **overrides,
    }


def _event_kinds() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("kind", flat=True))


@pytest.fixture
def newcomer(db):
    """An applicant who has not registered or joined an organisation yet."""
    return factories.UserFactory(email="newcomer@example.kz")


# --- create_organisation ---------------------------------------------------------------------


def test_create_organisation_makes_the_actor_its_first_admin_and_records_an_event(newcomer):
    fields = _fields()

    organisation = services.create_organisation(actor=newcomer, fields=fields)

    newcomer.refresh_from_db()
    assert newcomer.organisation == organisation
    assert newcomer.is_organisation_admin is True
    assert newcomer.joined_organisation_at is not None
    assert organisation.bin == fields["bin"]
    event = AuditEvent.objects.get()
    assert event.kind == EventKind.ORGANISATION_CREATED
    assert event.actor == newcomer
    assert event.organisation == organisation
    assert event.data == {"legal_name_en": "Steppe Pay LLP", "bin": fields["bin"]}


def test_create_organisation_refuses_a_member_of_another_organisation(applicant):
    with pytest.raises(WorkflowError, match=r"You already belong to an organisation\."):
        services.create_organisation(actor=applicant, fields=_fields())

    assert Organisation.objects.count() == 1
    assert _event_kinds() == []


def test_create_organisation_refuses_regulator_staff(reviewer):
    with pytest.raises(NotAllowed):
        services.create_organisation(actor=reviewer, fields=_fields())

    assert not Organisation.objects.exists()


def test_create_organisation_turns_a_bin_taken_meanwhile_into_a_workflow_error(newcomer, applicant):
    taken = applicant.organisation.bin

    with pytest.raises(WorkflowError, match="has just been registered"):
        services.create_organisation(actor=newcomer, fields=_fields(bin=taken))

    newcomer.refresh_from_db()
    assert newcomer.organisation is None
    assert Organisation.objects.count() == 1
    assert _event_kinds() == []


# --- update_organisation ---------------------------------------------------------------------


def test_update_organisation_saves_changed_fields_with_before_and_after(applicant):
    organisation = applicant.organisation
    old_name = organisation.legal_name_en

    changed = services.update_organisation(
        actor=applicant,
        organisation=organisation,
        fields={"legal_name_en": "Renamed LLP", "address": organisation.address},
    )

    assert changed == ["legal_name_en"]
    organisation.refresh_from_db()
    assert organisation.legal_name_en == "Renamed LLP"
    event = AuditEvent.objects.get()
    assert event.kind == EventKind.ORGANISATION_UPDATED
    assert event.data == {
        "before": {"legal_name_en": old_name},
        "after": {"legal_name_en": "Renamed LLP"},
    }


def test_update_organisation_sees_changes_a_model_form_already_wrote_on_the_instance(applicant):
    """A validated ModelForm has set the new values on its instance; they must still count."""
    organisation = applicant.organisation
    data = {**_fields(bin=organisation.bin), "legal_name_en": "Changed In Form LLP"}
    form = OrganisationForm(data=data, instance=organisation, submit_label="Save")
    assert form.is_valid(), form.errors
    assert organisation.legal_name_en == "Changed In Form LLP"  # what ModelForm does

    changed = services.update_organisation(
        actor=applicant, organisation=organisation, fields=form.organisation_fields()
    )

    assert "legal_name_en" in changed
    assert Organisation.objects.get().legal_name_en == "Changed In Form LLP"


def test_update_organisation_without_changes_writes_nothing(applicant):
    organisation = applicant.organisation

    changed = services.update_organisation(
        actor=applicant,
        organisation=organisation,
        fields={"legal_name_en": organisation.legal_name_en},
    )

    assert changed == []
    assert _event_kinds() == []


def test_update_organisation_refuses_a_member_who_is_not_admin(co_member):
    with pytest.raises(NotAllowed):
        services.update_organisation(
            actor=co_member, organisation=co_member.organisation, fields={"legal_name_en": "X"}
        )

    assert Organisation.objects.get().legal_name_en != "X"


# --- replace_people --------------------------------------------------------------------------


def _people_post(rows: list[dict], initial: int = 0) -> dict:
    data = {
        "people-TOTAL_FORMS": str(len(rows)),
        "people-INITIAL_FORMS": str(initial),
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"people-{index}-{name}"] = value
    return data


def test_replace_people_saves_the_formset_and_records_the_names(applicant):
    organisation = applicant.organisation
    row = {"full_name": "Dana Seitkali", "roles": ["primary_contact", "authorised_signatory"]}
    formset = PeopleFormSet(_people_post([row]), instance=organisation, prefix="people")
    assert formset.is_valid(), formset.errors

    services.replace_people(actor=applicant, organisation=organisation, formset=formset)

    person = Person.objects.get()
    assert (person.organisation, person.full_name) == (organisation, "Dana Seitkali")
    assert person.roles == ["primary_contact", "authorised_signatory"]
    assert AuditEvent.objects.get().data == {"people": ["Dana Seitkali"]}


def test_replace_people_refuses_a_member_who_is_not_admin(co_member):
    organisation = co_member.organisation
    row = {"full_name": "Dana Seitkali", "roles": ["primary_contact", "authorised_signatory"]}
    formset = PeopleFormSet(_people_post([row]), instance=organisation, prefix="people")
    assert formset.is_valid()

    with pytest.raises(NotAllowed):
        services.replace_people(actor=co_member, organisation=organisation, formset=formset)

    assert not Person.objects.exists()


# --- invitations -----------------------------------------------------------------------------


def test_invite_member_creates_an_invitation_event_and_email(
    applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_member(
            actor=applicant,
            organisation=applicant.organisation,
            email="  New.Colleague@Example.KZ ",
        )

    assert invitation.email == "new.colleague@example.kz"
    assert invitation.invited_by == applicant
    assert _event_kinds() == [EventKind.MEMBER_INVITED]
    notification = Notification.objects.get()
    assert notification.kind == NotificationKind.ORGANISATION_INVITATION
    assert [message.to for message in mail.outbox] == [["new.colleague@example.kz"]]
    assert f"/organisation/join/{invitation.token}/" in mail.outbox[0].body


def test_invite_member_twice_is_refused_while_the_first_is_open(applicant):
    organisation = applicant.organisation
    services.invite_member(actor=applicant, organisation=organisation, email="twice@example.kz")

    with pytest.raises(WorkflowError) as caught:
        services.invite_member(actor=applicant, organisation=organisation, email="TWICE@example.kz")

    assert (
        str(caught.value)
        == "twice@example.kz has already been invited; the invitation is still open."
    )
    assert Invitation.objects.count() == 1
    assert _event_kinds() == [EventKind.MEMBER_INVITED]


def test_invite_member_again_after_the_first_invitation_lapsed(applicant):
    organisation = applicant.organisation
    lapsed = factories.InvitationFactory(
        organisation=organisation,
        email="late@example.kz",
        invited_by=applicant,
        expires_at=timezone.now() - timedelta(days=1),
    )

    fresh = services.invite_member(
        actor=applicant, organisation=organisation, email="late@example.kz"
    )

    lapsed.refresh_from_db()
    assert lapsed.revoked_at is not None
    assert fresh.is_open
    assert fresh.pk != lapsed.pk


def test_invite_member_refuses_someone_already_a_member(applicant, co_member):
    with pytest.raises(WorkflowError, match="is already a member of your organisation"):
        services.invite_member(
            actor=applicant, organisation=applicant.organisation, email=co_member.email.upper()
        )

    assert not Invitation.objects.exists()


def test_invite_member_refuses_a_member_who_is_not_admin(co_member):
    with pytest.raises(NotAllowed):
        services.invite_member(
            actor=co_member, organisation=co_member.organisation, email="x@example.kz"
        )

    assert not Invitation.objects.exists()


def test_revoke_invitation_closes_it_and_records_an_event(applicant):
    invitation = factories.InvitationFactory(
        organisation=applicant.organisation, invited_by=applicant
    )

    services.revoke_invitation(actor=applicant, invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert not invitation.is_open
    event = AuditEvent.objects.get()
    assert (event.kind, event.data) == (EventKind.INVITATION_REVOKED, {"email": invitation.email})


def test_revoke_invitation_twice_is_refused(applicant):
    invitation = factories.InvitationFactory(
        organisation=applicant.organisation, invited_by=applicant
    )
    services.revoke_invitation(actor=applicant, invitation=invitation)

    with pytest.raises(WorkflowError, match="already been accepted or revoked"):
        services.revoke_invitation(actor=applicant, invitation=invitation)

    assert _event_kinds() == [EventKind.INVITATION_REVOKED]


def test_revoke_invitation_refuses_an_admin_of_another_organisation(applicant, other_applicant):
    invitation = factories.InvitationFactory(
        organisation=applicant.organisation, invited_by=applicant
    )

    with pytest.raises(NotAllowed):
        services.revoke_invitation(actor=other_applicant, invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_accept_invitation_makes_a_plain_member_and_records_an_event(applicant, newcomer):
    invitation = factories.InvitationFactory(
        organisation=applicant.organisation, invited_by=applicant, email="NEWCOMER@example.kz"
    )

    organisation = services.accept_invitation(actor=newcomer, token=invitation.token)

    newcomer.refresh_from_db()
    assert organisation == applicant.organisation
    assert newcomer.organisation == applicant.organisation
    assert newcomer.is_organisation_admin is False
    assert newcomer.joined_organisation_at is not None
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.organisation) == (
        EventKind.MEMBER_JOINED,
        newcomer,
        applicant.organisation,
    )


def test_accept_invitation_with_another_email_is_refused(applicant, newcomer):
    invitation = factories.InvitationFactory(
        organisation=applicant.organisation, invited_by=applicant, email="someone.else@example.kz"
    )

    with pytest.raises(WorkflowError) as caught:
        services.accept_invitation(actor=newcomer, token=invitation.token)

    assert str(caught.value) == (
        "This invitation was sent to someone.else@example.kz. Sign in with that address to accept it."
    )
    newcomer.refresh_from_db()
    assert newcomer.organisation is None
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.parametrize(
    "state",
    [
        {"expires_at": timezone.now() - timedelta(minutes=1)},
        {"revoked_at": timezone.now()},
        {"accepted_at": timezone.now()},
    ],
    ids=["expired", "revoked", "accepted"],
)
def test_accept_invitation_refuses_one_that_is_no_longer_open(applicant, newcomer, state):
    invitation = factories.InvitationFactory(
        organisation=applicant.organisation, invited_by=applicant, email=newcomer.email, **state
    )

    with pytest.raises(WorkflowError, match="no longer valid"):
        services.accept_invitation(actor=newcomer, token=invitation.token)

    newcomer.refresh_from_db()
    assert newcomer.organisation is None


def test_accept_invitation_refuses_a_member_of_another_organisation(applicant, other_applicant):
    invitation = factories.InvitationFactory(
        organisation=applicant.organisation, invited_by=applicant, email=other_applicant.email
    )

    with pytest.raises(WorkflowError, match=r"You already belong to an organisation\."):
        services.accept_invitation(actor=other_applicant, token=invitation.token)

    other_applicant.refresh_from_db()
    assert other_applicant.organisation != applicant.organisation


def test_accept_invitation_refuses_regulator_staff(applicant, reviewer):
    invitation = factories.InvitationFactory(
        organisation=applicant.organisation, invited_by=applicant, email=reviewer.email
    )

    with pytest.raises(NotAllowed):
        services.accept_invitation(actor=reviewer, token=invitation.token)

    reviewer.refresh_from_db()
    assert reviewer.organisation is None


# --- members ---------------------------------------------------------------------------------


def test_remove_member_detaches_them_and_records_an_event(applicant, co_member):
    services.remove_member(actor=applicant, organisation=applicant.organisation, member=co_member)

    co_member.refresh_from_db()
    assert (co_member.organisation, co_member.is_organisation_admin) == (None, False)
    assert co_member.joined_organisation_at is None
    event = AuditEvent.objects.get()
    assert (event.kind, event.data) == (EventKind.MEMBER_REMOVED, {"email": co_member.email})


def test_remove_member_refuses_to_remove_the_last_admin(applicant, co_member):
    with pytest.raises(WorkflowError) as caught:
        services.remove_member(
            actor=applicant, organisation=applicant.organisation, member=applicant
        )

    assert str(caught.value) == (
        "You are the only admin of the organisation; make another member admin first."
    )
    applicant.refresh_from_db()
    assert applicant.organisation is not None
    assert applicant.is_organisation_admin is True
    assert _event_kinds() == []


def test_remove_member_lets_an_admin_leave_when_another_admin_remains(applicant, co_member):
    User.objects.filter(pk=co_member.pk).update(is_organisation_admin=True)

    services.remove_member(actor=applicant, organisation=applicant.organisation, member=applicant)

    assert User.objects.get(pk=applicant.pk).organisation is None
    assert User.objects.get(pk=co_member.pk).organisation == co_member.organisation


def test_remove_member_refuses_a_member_of_another_organisation(applicant, other_applicant):
    with pytest.raises(WorkflowError, match="not a member of your organisation"):
        services.remove_member(
            actor=applicant, organisation=applicant.organisation, member=other_applicant
        )

    other_applicant.refresh_from_db()
    assert other_applicant.organisation is not None
    assert _event_kinds() == []


def test_remove_member_refuses_a_stale_member_object_moved_elsewhere(applicant, co_member):
    """The decision is taken on the locked row, not on what the caller loaded earlier."""
    elsewhere = factories.OrganisationFactory()
    User.objects.filter(pk=co_member.pk).update(organisation=elsewhere)

    with pytest.raises(WorkflowError, match="not a member of your organisation"):
        services.remove_member(
            actor=applicant, organisation=applicant.organisation, member=co_member
        )

    assert User.objects.get(pk=co_member.pk).organisation == elsewhere


def test_set_member_admin_promotes_and_records_an_event(applicant, co_member):
    services.set_member_admin(
        actor=applicant, organisation=applicant.organisation, member=co_member, is_admin=True
    )

    assert User.objects.get(pk=co_member.pk).is_organisation_admin is True
    event = AuditEvent.objects.get()
    assert (event.kind, event.data) == (
        EventKind.ORGANISATION_UPDATED,
        {"member": co_member.email, "is_admin": True},
    )


def test_set_member_admin_refuses_to_demote_the_last_admin(applicant, co_member):
    with pytest.raises(WorkflowError, match=r"An organisation needs at least one admin\."):
        services.set_member_admin(
            actor=applicant, organisation=applicant.organisation, member=applicant, is_admin=False
        )

    assert User.objects.get(pk=applicant.pk).is_organisation_admin is True


def test_set_member_admin_does_not_count_a_deactivated_admin(applicant, co_member):
    User.objects.filter(pk=co_member.pk).update(is_organisation_admin=True, is_active=False)

    with pytest.raises(WorkflowError, match=r"An organisation needs at least one admin\."):
        services.set_member_admin(
            actor=applicant, organisation=applicant.organisation, member=applicant, is_admin=False
        )


def test_set_member_admin_refuses_a_member_of_another_organisation(applicant, other_applicant):
    other_applicant.is_organisation_admin = False
    other_applicant.save(update_fields=["is_organisation_admin"])

    with pytest.raises(WorkflowError, match="not a member of your organisation"):
        services.set_member_admin(
            actor=applicant,
            organisation=applicant.organisation,
            member=other_applicant,
            is_admin=True,
        )

    assert User.objects.get(pk=other_applicant.pk).is_organisation_admin is False
