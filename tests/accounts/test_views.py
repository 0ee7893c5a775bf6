from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from applications.enums import EventKind
from applications.models import AuditEvent
from portal.accounts.models import Invitation, Organisation, Person, User
from portal.accounts.validators import check_digit
from tests import factories

pytestmark = pytest.mark.django_db

CREATE = reverse("accounts:organisation-create")
DETAIL = reverse("accounts:organisation-detail")
UPDATE = reverse("accounts:organisation-update")
PEOPLE = reverse("accounts:people-update")
INVITE = reverse("accounts:member-invite")


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _bin(stem: str) -> str:
    return f"{stem}{check_digit(stem)}"


def _organisation_post(**overrides) -> dict:
    return {
        "legal_name_en": "Tumar Pay LLP",
        "legal_name_ru": "ТОО «Тумар Пэй»",
        "legal_name_kk": "«Тумар Пэй» ЖШС",
        "legal_form": "llp",
        "jurisdiction": "kz",
        "bin": _bin("21054000012"),
        "foreign_registration_number": "",
        "country": "",
        "address": "Dostyk 5, Astana",
        "website": "https://tumar.example.kz",
        **overrides,
    }


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


def _person(**overrides) -> dict:
    return {
        "full_name": "Dana Seitkali",
        "roles": ["primary_contact", "authorised_signatory"],
        "email": "dana@tumar.example.kz",
        "phone": "+7 701 000 0000",
        "iin": "",
        "nationality": "KZ",
        "ownership_pct": "",
        **overrides,
    }


@pytest.fixture
def newcomer(db):
    return factories.UserFactory(email="newcomer@example.kz")


@pytest.fixture
def admin_client(client, applicant):
    client.force_login(applicant)
    return client


@pytest.fixture
def member_client(client, co_member):
    client.force_login(co_member)
    return client


@pytest.fixture
def stranger(other_applicant):
    """A plain member of another organisation, with people and an invitation there."""
    organisation = other_applicant.organisation
    factories.PersonFactory(organisation=organisation, full_name="Other Person")
    factories.InvitationFactory(organisation=organisation, invited_by=other_applicant)
    return factories.ApplicantFactory(organisation=organisation, is_organisation_admin=False)


# --- OrganisationCreateView ------------------------------------------------------------------


def test_organisation_create_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(CREATE)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={CREATE}"


def test_organisation_create_shows_the_form_to_an_applicant_without_organisation(client, newcomer):
    client.force_login(newcomer)

    response = client.get(CREATE)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Register your organisation" in content
    for name in ("legal_name_en", "legal_name_ru", "legal_name_kk", "bin", "country", "website"):
        assert f'name="{name}"' in content


def test_organisation_create_sends_a_member_to_their_organisation(admin_client):
    response = admin_client.get(CREATE)

    assert response.status_code == 302
    assert response["Location"] == DETAIL


def test_organisation_create_is_forbidden_to_regulator_staff(client, reviewer):
    client.force_login(reviewer)

    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _organisation_post()).status_code == 403
    assert not Organisation.objects.exists()


def test_organisation_create_registers_a_kazakh_organisation(client, newcomer):
    client.force_login(newcomer)

    value = _bin("21054000012")

    response = client.post(CREATE, _organisation_post(bin=f" {value[:6]} {value[6:]} "))

    assert response.status_code == 302
    assert response["Location"] == DETAIL
    organisation = Organisation.objects.get()
    assert organisation.bin == value
    assert (organisation.foreign_registration_number, organisation.country) == ("", "")
    newcomer.refresh_from_db()
    assert (newcomer.organisation, newcomer.is_organisation_admin) == (organisation, True)
    assert _messages(response) == ["Your organisation is registered. You are its admin."]
    assert AuditEvent.objects.get().kind == EventKind.ORGANISATION_CREATED


def test_organisation_create_warns_about_an_unusual_bin_after_saving(client, newcomer):
    client.force_login(newcomer)

    response = client.post(CREATE, _organisation_post(bin=_bin("21057900012")))

    assert response.status_code == 302
    assert Organisation.objects.get().bin == _bin("21057900012")
    assert _messages(response) == [
        "Your organisation is registered. You are its admin.",
        "Digit 5 of this BIN (7) is not a known entity type (4, 5 or 6).",
        "Digit 6 of this BIN (9) is not a known unit type (0-3).",
    ]
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == [
        "success",
        "warning",
        "warning",
    ]


@pytest.mark.parametrize("jurisdiction", ["kz", "aifc"])
def test_organisation_create_requires_a_bin_in_kazakhstan_and_the_aifc(
    client, newcomer, jurisdiction
):
    client.force_login(newcomer)

    response = client.post(CREATE, _organisation_post(jurisdiction=jurisdiction, bin=""))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "bin": ["Organisations registered in Kazakhstan or the AIFC have a BIN; enter it."]
    }
    assert not Organisation.objects.exists()


def test_organisation_create_requires_number_and_country_for_a_foreign_organisation(
    client, newcomer
):
    client.force_login(newcomer)

    response = client.post(CREATE, _organisation_post(jurisdiction="foreign", legal_form="foreign"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "foreign_registration_number": [
            "Enter the registration number your organisation has in its home country."
        ],
        "country": ["Choose the country where your organisation is registered."],
    }
    assert not Organisation.objects.exists()


def test_organisation_create_keeps_only_the_registration_of_a_foreign_organisation(
    client, newcomer
):
    client.force_login(newcomer)
    data = _organisation_post(
        jurisdiction="foreign",
        legal_form="foreign",
        foreign_registration_number="HRB 12345",
        country="DE",
    )

    response = client.post(CREATE, data)

    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.bin is None
    assert (organisation.foreign_registration_number, organisation.country.code) == (
        "HRB 12345",
        "DE",
    )
    assert organisation.identifier == "HRB 12345 (DE)"


def test_organisation_create_refuses_a_bin_already_registered(client, newcomer, other_applicant):
    client.force_login(newcomer)

    response = client.post(CREATE, _organisation_post(bin=other_applicant.organisation.bin))

    assert response.context["form"].errors == {
        "bin": [
            "An organisation with this BIN is already registered on the portal. "
            "If it is yours, ask its admin to invite you."
        ]
    }
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "21054000012" + str((check_digit("21054000012") + 1) % 10),
            "This BIN is not valid: its check digit does not match. Please check it for typos.",
        ),
        (
            _bin("21134000012"),
            "Digits 3-4 of a BIN are the registration month (01-12); 13 is not a month.",
        ),
        ("2105400001", "A BIN has exactly 12 digits."),
    ],
    ids=["checksum", "month", "length"],
)
def test_organisation_create_shows_bin_errors(client, newcomer, value, message):
    client.force_login(newcomer)

    response = client.post(CREATE, _organisation_post(bin=value))

    assert response.context["form"].errors == {"bin": [message]}
    assert not Organisation.objects.exists()


# --- OrganisationDetailView ------------------------------------------------------------------


def test_organisation_detail_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(DETAIL)

    assert response["Location"] == f"{reverse('account_login')}?next={DETAIL}"


def test_organisation_detail_sends_an_applicant_without_organisation_to_register(client, newcomer):
    client.force_login(newcomer)

    response = client.get(DETAIL)

    assert response.status_code == 302
    assert response["Location"] == CREATE


def test_organisation_detail_is_not_found_for_regulator_staff(client, reviewer):
    client.force_login(reviewer)

    assert client.get(DETAIL).status_code == 404


def test_organisation_detail_shows_profile_people_members_and_invitations(
    admin_client, applicant, co_member
):
    organisation = applicant.organisation
    factories.PersonFactory(
        organisation=organisation,
        full_name="Aruzhan Bekova",
        roles=["beneficial_owner", "director"],
        ownership_pct=Decimal("62.50"),
    )
    factories.InvitationFactory(
        organisation=organisation, invited_by=applicant, email="pending@example.kz"
    )

    response = admin_client.get(DETAIL)

    content = response.content.decode()
    assert organisation.legal_name_en in content
    assert organisation.bin in content
    assert "Aruzhan Bekova" in content
    assert "Beneficial owner" in content
    assert "Director" in content
    assert "62.50%" in content
    assert co_member.email in content
    assert "pending@example.kz" in content
    assert response.context["members"] == [applicant, co_member]


def test_organisation_detail_shows_admin_controls_to_admins(admin_client, co_member):
    content = admin_client.get(DETAIL).content.decode()

    assert UPDATE in content
    assert PEOPLE in content
    assert INVITE in content
    assert reverse("accounts:member-remove", args=[co_member.pk]) in content
    assert reverse("accounts:member-admin-toggle", args=[co_member.pk]) in content


def test_organisation_detail_hides_admin_controls_from_members(member_client, applicant):
    invitation = factories.InvitationFactory(
        organisation=applicant.organisation, invited_by=applicant
    )

    response = member_client.get(DETAIL)

    content = response.content.decode()
    assert response.status_code == 200
    assert applicant.organisation.legal_name_en in content
    assert invitation.email in content
    for url in (
        UPDATE,
        PEOPLE,
        INVITE,
        reverse("accounts:member-remove", args=[applicant.pk]),
        reverse("accounts:invitation-revoke", args=[invitation.pk]),
    ):
        assert url not in content


def test_organisation_detail_lists_only_open_invitations(admin_client, applicant):
    organisation = applicant.organisation
    factories.InvitationFactory(
        organisation=organisation, invited_by=applicant, email="open@example.kz"
    )
    factories.InvitationFactory(
        organisation=organisation,
        invited_by=applicant,
        email="gone@example.kz",
        revoked_at=timezone.now(),
    )
    factories.InvitationFactory(
        organisation=organisation,
        invited_by=applicant,
        email="late@example.kz",
        expires_at=timezone.now() - timedelta(days=1),
    )

    response = admin_client.get(DETAIL)

    assert [i.email for i in response.context["invitations"]] == ["open@example.kz"]


def test_organisation_detail_shows_nothing_of_other_organisations(admin_client, stranger):
    content = admin_client.get(DETAIL).content.decode()

    assert stranger.email not in content
    assert stranger.organisation.legal_name_en not in content
    assert "Other Person" not in content


@pytest.mark.parametrize("rows", [1, 6])
def test_organisation_detail_query_count_does_not_grow_with_rows(
    admin_client, applicant, rows, django_assert_num_queries
):
    organisation = applicant.organisation
    factories.PersonFactory.create_batch(rows, organisation=organisation)
    factories.ApplicantFactory.create_batch(
        rows, organisation=organisation, is_organisation_admin=False
    )
    factories.InvitationFactory.create_batch(rows, organisation=organisation, invited_by=applicant)

    # user (the session comes from the cache), organisation, people, members, invitations (with their inviters)
    with django_assert_num_queries(5):
        response = admin_client.get(DETAIL)

    assert len(response.context["people"]) == rows
    assert len(response.context["members"]) == rows + 1
    assert len(response.context["invitations"]) == rows


# --- OrganisationUpdateView ------------------------------------------------------------------


def test_organisation_update_shows_the_current_profile(admin_client, applicant):
    response = admin_client.get(UPDATE)

    assert response.status_code == 200
    assert response.context["form"].instance == applicant.organisation
    assert f'value="{applicant.organisation.bin}"' in response.content.decode()


def test_organisation_update_saves_changes_with_an_event(admin_client, applicant):
    organisation = applicant.organisation
    data = _organisation_post(bin=organisation.bin, legal_name_en="Renamed LLP")

    response = admin_client.post(UPDATE, data)

    assert response["Location"] == DETAIL
    organisation.refresh_from_db()
    assert organisation.legal_name_en == "Renamed LLP"
    assert _messages(response) == ["Profile saved."]
    event = AuditEvent.objects.get()
    assert event.kind == EventKind.ORGANISATION_UPDATED
    assert event.data["after"]["legal_name_en"] == "Renamed LLP"


def test_organisation_update_warns_about_a_new_unusual_bin(admin_client, applicant):
    response = admin_client.post(UPDATE, _organisation_post(bin=_bin("21054900012")))

    assert Organisation.objects.get(pk=applicant.organisation_id).bin == _bin("21054900012")
    assert _messages(response) == [
        "Profile saved.",
        "Digit 6 of this BIN (9) is not a known unit type (0-3).",
    ]


def test_organisation_update_may_keep_its_own_bin(admin_client, applicant):
    organisation = applicant.organisation
    fields = {
        f: getattr(organisation, f)
        for f in ("legal_name_en", "legal_name_ru", "legal_name_kk", "address", "website")
    }

    response = admin_client.post(UPDATE, _organisation_post(bin=organisation.bin, **fields))

    assert _messages(response) == ["Nothing was changed."]
    assert not AuditEvent.objects.exists()


def test_organisation_update_refuses_another_organisations_bin(
    admin_client, applicant, other_applicant
):
    response = admin_client.post(UPDATE, _organisation_post(bin=other_applicant.organisation.bin))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["bin"]
    assert Organisation.objects.get(pk=applicant.organisation_id).bin == applicant.organisation.bin


def test_organisation_update_is_forbidden_to_members_who_are_not_admins(member_client, co_member):
    before = co_member.organisation.legal_name_en

    assert member_client.get(UPDATE).status_code == 403
    assert (
        member_client.post(UPDATE, _organisation_post(legal_name_en="Hijacked")).status_code == 403
    )
    assert Organisation.objects.get(pk=co_member.organisation_id).legal_name_en == before


def test_organisation_update_is_not_found_without_an_organisation(client, newcomer):
    client.force_login(newcomer)

    assert client.get(UPDATE).status_code == 404


# --- PeopleUpdateView ------------------------------------------------------------------------


def test_people_update_offers_existing_people_and_two_blank_forms(admin_client, applicant):
    factories.PersonFactory(organisation=applicant.organisation, full_name="Existing Person")

    response = admin_client.get(PEOPLE)

    formset = response.context["formset"]
    assert [form.instance.full_name for form in formset.forms] == ["Existing Person", "", ""]
    assert 'name="people-0-roles"' in response.content.decode()


def test_people_update_adds_edits_and_deletes_in_one_save(admin_client, applicant):
    organisation = applicant.organisation
    kept = factories.PersonFactory(organisation=organisation, full_name="Kept", roles=["ceo"])
    dropped = factories.PersonFactory(organisation=organisation, full_name="Dropped")
    iin = _bin("85010130012")
    rows = [
        _person(id=str(kept.pk), full_name="Kept Renamed", roles=["ceo", "primary_contact"]),
        _person(id=str(dropped.pk), full_name="Dropped", roles=["director"], DELETE="on"),
        _person(
            full_name="New Owner",
            roles=["authorised_signatory", "beneficial_owner"],
            ownership_pct="40",
            iin=f" {iin[:6]} {iin[6:]} ",
        ),
        {
            "full_name": "",
            "roles": [],
            "email": "",
            "phone": "",
            "iin": "",
            "nationality": "",
            "ownership_pct": "",
        },
    ]

    response = admin_client.post(PEOPLE, _people_post(rows, initial=2))

    assert response.status_code == 302, response.context["formset"].errors
    assert response["Location"] == DETAIL
    people = list(Person.objects.filter(organisation=organisation).order_by("pk"))
    assert [p.full_name for p in people] == ["Kept Renamed", "New Owner"]
    assert people[0].roles == ["ceo", "primary_contact"]
    assert (people[1].ownership_pct, people[1].iin) == (Decimal("40.00"), iin)
    assert _messages(response) == ["Key people saved."]
    assert AuditEvent.objects.get().data == {"people": ["Kept Renamed", "New Owner"]}


def _post_people_errors(client, rows):
    response = client.post(PEOPLE, _people_post(rows))
    assert response.status_code == 200
    assert not Person.objects.exists()
    return response.context["formset"]


def test_people_update_refuses_owners_holding_more_than_100_percent(admin_client):
    formset = _post_people_errors(
        admin_client,
        [
            _person(
                roles=["primary_contact", "authorised_signatory", "beneficial_owner"],
                ownership_pct="60.5",
            ),
            _person(full_name="Second Owner", roles=["beneficial_owner"], ownership_pct="40"),
        ],
    )

    assert formset.non_form_errors() == [
        "The beneficial owners' shares add up to 100.5%; together they cannot exceed 100%."
    ]


def test_people_update_requires_a_primary_contact_and_an_authorised_signatory(admin_client):
    formset = _post_people_errors(admin_client, [_person(roles=["ceo"])])

    assert formset.non_form_errors() == [
        "Name at least one primary contact: tick “Primary contact” for someone.",
        "Name at least one authorised signatory: tick “Authorised signatory” for someone.",
    ]


def test_people_update_requires_a_share_for_a_beneficial_owner(admin_client):
    formset = _post_people_errors(
        admin_client,
        [
            _person(roles=["primary_contact", "authorised_signatory", "beneficial_owner"]),
        ],
    )

    assert formset.forms[0].errors == {
        "ownership_pct": ["Enter this beneficial owner's ownership share."]
    }


def test_people_update_refuses_a_share_for_someone_not_an_owner(admin_client):
    formset = _post_people_errors(admin_client, [_person(ownership_pct="10")])

    assert formset.forms[0].errors == {
        "ownership_pct": [
            "Only beneficial owners have an ownership share: tick “Beneficial owner” or leave it empty."
        ]
    }


def test_people_update_checks_the_iin_and_asks_for_a_role(admin_client):
    formset = _post_people_errors(
        admin_client,
        [
            _person(roles=[], iin="850101300125"),
        ],
    )

    assert formset.forms[0].errors == {
        "roles": ["Tick at least one role."],
        "iin": [
            "This IIN is not valid: its check digit does not match. Please check it for typos."
        ],
    }


def test_people_update_cannot_edit_another_organisations_person(admin_client, stranger):
    other = Person.objects.get(organisation=stranger.organisation)

    response = admin_client.post(
        PEOPLE, _people_post([_person(id=str(other.pk), full_name="Taken Over")], initial=1)
    )

    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == [
        "The list of people changed while you were editing it. Reload the page and make your changes again."
    ]
    other.refresh_from_db()
    assert other.full_name == "Other Person"
    assert other.organisation == stranger.organisation
    assert not AuditEvent.objects.exists()


def test_people_update_is_forbidden_to_members_who_are_not_admins(member_client):
    assert member_client.get(PEOPLE).status_code == 403
    assert member_client.post(PEOPLE, _people_post([_person()])).status_code == 403
    assert not Person.objects.exists()


# --- MemberInviteView ------------------------------------------------------------------------


def test_member_invite_sends_an_invitation(admin_client, applicant):
    response = admin_client.post(INVITE, {"email": "Colleague@Example.kz"})

    assert response["Location"] == DETAIL
    invitation = Invitation.objects.get()
    assert (invitation.organisation, invitation.email) == (
        applicant.organisation,
        "colleague@example.kz",
    )
    assert _messages(response) == ["Invitation sent to colleague@example.kz."]


def test_member_invite_reports_an_invalid_address(admin_client):
    response = admin_client.post(INVITE, {"email": "not-an-address"})

    assert _messages(response) == ["Enter a valid email address."]
    assert not Invitation.objects.exists()


def test_member_invite_reports_a_second_invitation_as_a_message(admin_client):
    admin_client.post(INVITE, {"email": "twice@example.kz"})

    response = admin_client.post(INVITE, {"email": "twice@example.kz"})

    assert _messages(response) == [
        "Invitation sent to twice@example.kz.",
        "twice@example.kz has already been invited; the invitation is still open.",
    ]
    assert Invitation.objects.count() == 1


def test_member_invite_is_post_only(admin_client):
    assert admin_client.get(INVITE).status_code == 405


# --- MemberRemoveView and MemberAdminToggleView ----------------------------------------------


def test_member_remove_detaches_the_member(admin_client, co_member):
    response = admin_client.post(reverse("accounts:member-remove", args=[co_member.pk]))

    assert response["Location"] == DETAIL
    co_member.refresh_from_db()
    assert co_member.organisation is None
    assert _messages(response) == [
        f"{co_member.full_name} is no longer a member of the organisation."
    ]


def test_member_remove_reports_removing_the_last_admin(admin_client, applicant):
    response = admin_client.post(reverse("accounts:member-remove", args=[applicant.pk]))

    assert _messages(response) == [
        "You are the only admin of the organisation; make another member admin first."
    ]
    assert User.objects.get(pk=applicant.pk).organisation_id is not None


def test_member_remove_of_another_organisations_member_is_not_found(admin_client, stranger):
    response = admin_client.post(reverse("accounts:member-remove", args=[stranger.pk]))

    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.organisation is not None
    assert not AuditEvent.objects.exists()


def test_member_admin_toggle_promotes_and_demotes(admin_client, co_member):
    url = reverse("accounts:member-admin-toggle", args=[co_member.pk])

    admin_client.post(url, {"is_admin": "true"})
    assert User.objects.get(pk=co_member.pk).is_organisation_admin is True

    response = admin_client.post(url, {"is_admin": "false"})
    assert User.objects.get(pk=co_member.pk).is_organisation_admin is False
    assert _messages(response) == [
        f"{co_member.full_name} is now an admin.",
        f"{co_member.full_name} is no longer an admin.",
    ]


def test_member_admin_toggle_repeated_is_harmless(admin_client, co_member):
    url = reverse("accounts:member-admin-toggle", args=[co_member.pk])

    admin_client.post(url, {"is_admin": "true"})
    admin_client.post(url, {"is_admin": "true"})

    assert User.objects.get(pk=co_member.pk).is_organisation_admin is True


def test_member_admin_toggle_needs_the_wanted_state(admin_client, co_member):
    response = admin_client.post(reverse("accounts:member-admin-toggle", args=[co_member.pk]), {})

    assert _messages(response) == ["Choose whether this member is an admin."]
    assert User.objects.get(pk=co_member.pk).is_organisation_admin is False


def test_member_admin_toggle_reports_demoting_the_last_admin(admin_client, applicant):
    response = admin_client.post(
        reverse("accounts:member-admin-toggle", args=[applicant.pk]), {"is_admin": "false"}
    )

    assert _messages(response) == ["An organisation needs at least one admin."]
    assert User.objects.get(pk=applicant.pk).is_organisation_admin is True


def test_member_admin_toggle_of_another_organisations_member_is_not_found(admin_client, stranger):
    response = admin_client.post(
        reverse("accounts:member-admin-toggle", args=[stranger.pk]), {"is_admin": "true"}
    )

    assert response.status_code == 404
    assert User.objects.get(pk=stranger.pk).is_organisation_admin is False


# --- InvitationRevokeView --------------------------------------------------------------------


def test_invitation_revoke_closes_the_invitation(admin_client, applicant):
    invitation = factories.InvitationFactory(
        organisation=applicant.organisation, invited_by=applicant
    )

    response = admin_client.post(reverse("accounts:invitation-revoke", args=[invitation.pk]))

    assert response["Location"] == DETAIL
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert _messages(response) == [f"The invitation for {invitation.email} is revoked."]


def test_invitation_revoke_twice_reports_it(admin_client, applicant):
    invitation = factories.InvitationFactory(
        organisation=applicant.organisation, invited_by=applicant, revoked_at=timezone.now()
    )

    response = admin_client.post(reverse("accounts:invitation-revoke", args=[invitation.pk]))

    assert _messages(response) == ["This invitation has already been accepted or revoked."]


def test_invitation_revoke_of_another_organisations_invitation_is_not_found(admin_client, stranger):
    invitation = Invitation.objects.get(organisation=stranger.organisation)

    response = admin_client.post(reverse("accounts:invitation-revoke", args=[invitation.pk]))

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- permissions matrix for admin-only actions -----------------------------------------------


def _admin_only_requests(applicant, co_member):
    invitation = factories.InvitationFactory(
        organisation=applicant.organisation, invited_by=applicant
    )
    return [
        ("get", UPDATE, {}),
        ("get", PEOPLE, {}),
        ("post", INVITE, {"email": "x@example.kz"}),
        ("post", reverse("accounts:member-remove", args=[applicant.pk]), {}),
        (
            "post",
            reverse("accounts:member-admin-toggle", args=[co_member.pk]),
            {"is_admin": "true"},
        ),
        ("post", reverse("accounts:invitation-revoke", args=[invitation.pk]), {}),
    ]


def test_admin_only_actions_are_forbidden_to_plain_members(member_client, applicant, co_member):
    for method, url, data in _admin_only_requests(applicant, co_member):
        response = getattr(member_client, method)(url, data)
        assert response.status_code == 403, url
    assert not AuditEvent.objects.exists()
    assert Invitation.objects.filter(revoked_at=None).count() == 1
    assert User.objects.get(pk=applicant.pk).organisation_id == co_member.organisation_id


def test_admin_only_actions_are_not_found_for_users_without_organisation(
    client, newcomer, applicant, co_member
):
    client.force_login(newcomer)
    for method, url, data in _admin_only_requests(applicant, co_member):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert not AuditEvent.objects.exists()


def test_admin_only_actions_ask_anonymous_visitors_to_sign_in(client, applicant, co_member):
    for method, url, data in _admin_only_requests(applicant, co_member):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login"))


# --- InvitationAcceptView --------------------------------------------------------------------


@pytest.fixture
def invitation(applicant, newcomer):
    return factories.InvitationFactory(
        organisation=applicant.organisation, invited_by=applicant, email=newcomer.email
    )


def test_invitation_accept_asks_anonymous_visitors_to_sign_in_and_come_back(client, invitation):
    url = reverse("accounts:invitation-accept", args=[invitation.token])

    response = client.get(url)

    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_invitation_accept_shows_the_invitation_and_a_confirm_button(client, newcomer, invitation):
    client.force_login(newcomer)
    url = reverse("accounts:invitation-accept", args=[invitation.token])

    response = client.get(url)

    content = response.content.decode()
    assert invitation.organisation.legal_name_en in content
    assert invitation.invited_by.full_name in content
    assert f'action="{url}"' in content
    newcomer.refresh_from_db()
    assert newcomer.organisation is None  # GET changes nothing


def test_invitation_accept_joins_on_post(client, newcomer, invitation):
    client.force_login(newcomer)

    response = client.post(reverse("accounts:invitation-accept", args=[invitation.token]))

    assert response["Location"] == DETAIL
    newcomer.refresh_from_db()
    assert (newcomer.organisation, newcomer.is_organisation_admin) == (
        invitation.organisation,
        False,
    )
    assert _messages(response) == [f"You have joined {invitation.organisation.legal_name_en}."]


def test_invitation_accept_with_another_account_is_refused_with_a_message(
    client, other_applicant, invitation
):
    client.force_login(other_applicant)
    url = reverse("accounts:invitation-accept", args=[invitation.token])

    page = client.get(url).content.decode()
    response = client.post(url)

    assert (
        f"This invitation was sent to {invitation.email}, but you are signed in as {other_applicant.email}"
        in page
    )
    assert response["Location"] == url
    assert _messages(response) == [
        f"This invitation was sent to {invitation.email}. Sign in with that address to accept it."
    ]
    assert User.objects.get(pk=other_applicant.pk).organisation_id != invitation.organisation_id
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_invitation_accept_of_an_expired_invitation_offers_no_button(client, newcomer, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(newcomer)
    url = reverse("accounts:invitation-accept", args=[invitation.token])

    content = client.get(url).content.decode()

    assert "This invitation is no longer valid." in content
    assert f'action="{url}"' not in content


def test_invitation_accept_of_an_unknown_token_is_not_found(client, newcomer):
    client.force_login(newcomer)
    url = reverse("accounts:invitation-accept", args=["no-such-token"])

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
