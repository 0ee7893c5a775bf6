"""Blind review: a reviewer on a blind programme never meets the applicant's identity, on any
page or message of the reviewer workspace: names (en/ru/kk), BIN, people, file names."""

import pytest
from django.core import mail
from django.urls import reverse

from applications.enums import ApplicationState
from applications.models import Notification
from applications.services.assignment import assign_reviewer
from applications.services.notifications import send_notification
from tests import factories
from tests.applications.workspace import (
    cleared_reviewer,
    criteria,
    panel_reviewer,
    pending_reviewer,
)

pytestmark = pytest.mark.django_db
S = ApplicationState


@pytest.fixture
def blind():
    application = factories.SubmittedApplicationFactory(
        state=S.EVALUATION, cohort__programme__blind_review=True, title="Remittance token pilot"
    )
    factories.PersonFactory(organisation=application.organisation, full_name="Timur Abenov")
    document = factories.DocumentFactory(application=application)
    factories.DocumentVersionFactory(document=document, original_name="steppe-digital-charter.pdf")
    criteria(application.cohort.programme)
    return application


def identity(application) -> list[bytes]:
    organisation = application.organisation
    return [
        value.encode()
        for value in (
            organisation.legal_name_en,
            organisation.legal_name_ru,
            organisation.legal_name_kk,
            organisation.bin,
            "Timur Abenov",
            "steppe-digital-charter",
        )
    ]


def assert_no_identity(content: bytes, application):
    for value in identity(application):
        assert value not in content, value


def test_reviewer_pages_never_show_the_applicant(client, blind):
    reviewer = cleared_reviewer(blind)
    client.force_login(reviewer)
    pages = [
        reverse("applications:staff-application-detail", args=[blind.pk]),
        reverse("applications:review", args=[blind.pk]),
        reverse("applications:staff-application-list"),
        reverse("applications:conflict-list"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_identity(response.content, blind)
    detail = client.get(pages[0]).content.decode()
    assert "Hidden (blind review)" in detail
    assert "Business plan" in detail  # the requirement's name stands in for the file name


def test_the_declaration_page_describes_without_identifying(client, blind):
    reviewer = pending_reviewer(blind)
    client.force_login(reviewer)

    response = client.get(reverse("applications:reviewer-declaration", args=[blind.pk]))

    assert_no_identity(response.content, blind)
    content = response.content.decode()
    assert "Remittance token pilot" in content
    assert blind.summary in content
    assert "this programme is reviewed blind" in content


def test_a_register_match_under_blind_review_is_flagged_without_naming(client, blind):
    reviewer = pending_reviewer(blind)
    factories.ConflictOfInterestFactory(reviewer=reviewer, organisation=blind.organisation)
    client.force_login(reviewer)

    response = client.get(reverse("applications:reviewer-declaration", args=[blind.pk]))

    assert b"A line of your conflict register matches this application." in response.content
    refused = client.post(
        reverse("applications:reviewer-declaration", args=[blind.pk]), follow=True
    )
    # The reviewer's own register (listing the organisation) is not on this page.
    assert_no_identity(refused.content, blind)


def test_the_download_has_a_neutral_name_for_reviewers(client, blind, programme_admin):
    version = blind.documents.get().versions.get()
    url = reverse("applications:document-download", args=[version.pk])
    client.force_login(cleared_reviewer(blind))

    response = client.get(url)

    code = version.document.requirement.code
    disposition = response["Content-Disposition"]
    name = f"{blind.reference}-{code}-v{version.number}.pdf"
    assert disposition == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    b"".join(response.streaming_content)
    client.force_login(programme_admin)
    assert "steppe-digital-charter.pdf" in client.get(url)["Content-Disposition"]


def test_the_assignment_email_names_no_applicant(blind, programme_admin, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reviewer = panel_reviewer(blind.cohort)
    assign_reviewer(actor=programme_admin, application_id=blind.pk, reviewer_id=reviewer.pk)

    send_notification(notification_id=Notification.objects.get().pk)

    (message,) = mail.outbox
    rendered = (message.subject + message.body + message.alternatives[0][0]).encode()
    assert_no_identity(rendered, blind)
    assert blind.reference.encode() in rendered
    assert f"/applications/review/{blind.pk}/declaration/".encode() in rendered


def test_admins_and_open_programmes_do_show_the_applicant(client, programme_admin):
    application = factories.SubmittedApplicationFactory(state=S.EVALUATION)
    client.force_login(cleared_reviewer(application))
    as_reviewer = client.get(
        reverse("applications:staff-application-detail", args=[application.pk])
    ).content.decode()
    client.force_login(programme_admin)

    assert application.organisation.legal_name_en in as_reviewer
    assert (
        application.organisation.legal_name_en
        in client.get(
            reverse("applications:staff-application-detail", args=[application.pk])
        ).content.decode()
    )


def test_the_screening_page_shows_reviewers_neutral_file_names(client, blind):
    version = blind.documents.get().versions.get()
    client.force_login(cleared_reviewer(blind))

    response = client.get(reverse("applications:staff-document-list", args=[blind.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "steppe-digital-charter" not in content
    code = version.document.requirement.code
    assert f"{blind.reference}-{code}-v{version.number}.pdf" in content
