import pytest
from django.urls import reverse

from applications.models import AuditEvent, ConflictOfInterest
from tests import factories

pytestmark = pytest.mark.django_db
LIST_URL = reverse("applications:conflict-list")
ADD_URL = reverse("applications:conflict-add")


def test_the_register_lists_only_ones_own_lines(client, reviewer):
    factories.ConflictOfInterestFactory(
        reviewer=reviewer, organisation=None, person_name="Mine Only"
    )
    factories.ConflictOfInterestFactory(organisation=None, person_name="Someone Elses")
    client.force_login(reviewer)

    content = client.get(LIST_URL).content.decode()

    assert "Mine Only" in content
    assert "Someone Elses" not in content


def test_the_picker_offers_what_was_searched(client, reviewer):
    wanted = factories.OrganisationFactory(legal_name_en="Nomad Pay LLP")
    other = factories.OrganisationFactory(legal_name_en="Other Firm LLP")
    client.force_login(reviewer)

    found = client.get(LIST_URL, {"q": "nomad"}).content.decode()
    by_bin = client.get(LIST_URL, {"q": wanted.bin[:6]}).content.decode()
    short = client.get(LIST_URL, {"q": "no"}).content.decode()

    assert f'<option value="{wanted.pk}">Nomad Pay LLP ({wanted.bin})</option>' in found
    assert "Other Firm LLP" not in found
    assert "Nomad Pay LLP" in by_bin
    assert "Nomad Pay LLP" not in short
    assert other.legal_name_en not in client.get(LIST_URL).content.decode()


def test_adding_and_removing_lines(client, reviewer):
    organisation = factories.OrganisationFactory()
    client.force_login(reviewer)

    response = client.post(
        ADD_URL,
        {
            "organisation": organisation.pk,
            "relation": "financial",
            "details": "Shares",
            "bin": "",
            "person_name": "",
        },
        follow=True,
    )

    assert "The line is added to your register." in response.content.decode()
    line = ConflictOfInterest.objects.get()
    assert (line.reviewer, line.organisation, line.relation) == (
        reviewer,
        organisation,
        "financial",
    )
    removed = client.post(reverse("applications:conflict-remove", args=[line.pk]), follow=True)
    assert "The line is removed from your register." in removed.content.decode()
    assert not ConflictOfInterest.objects.exists()
    assert list(AuditEvent.objects.values_list("kind", flat=True).order_by("id")) == [
        "conflict_registered",
        "conflict_removed",
    ]


def test_adding_needs_someone_and_a_valid_bin(client, reviewer):
    client.force_login(reviewer)

    empty = client.post(ADD_URL, {"relation": "family"})
    bad_bin = client.post(ADD_URL, {"relation": "family", "bin": "123"})

    assert "Name an organisation, a BIN or a person." in empty.content.decode()
    assert bad_bin.context["form"].errors["bin"]
    assert not ConflictOfInterest.objects.exists()


def test_removing_someone_elses_line_answers_as_if_it_did_not_exist(client, reviewer):
    theirs = factories.ConflictOfInterestFactory()
    client.force_login(reviewer)

    response = client.post(reverse("applications:conflict-remove", args=[theirs.pk]))

    assert response.status_code == 404
    assert ConflictOfInterest.objects.count() == 1


def test_applicants_have_no_register(client, applicant):
    client.force_login(applicant)

    assert client.get(LIST_URL).status_code == 403
    assert client.post(ADD_URL, {"relation": "family", "person_name": "X"}).status_code == 403
