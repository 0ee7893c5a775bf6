"""The printable dossier: who may open it (as the staff application page), what it holds for an
admin, what blind review and the reviewers' rules hide from a reviewer, static print assets, and
a constant number of queries."""

from datetime import UTC, datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState, EventKind, ReviewState
from applications.models import DecisionReason
from applications.services.audit import record_event
from tests import factories
from tests.applications.workspace import (
    cleared_reviewer,
    criteria,
    panel_reviewer,
    pending_reviewer,
    recused_reviewer,
)

pytestmark = pytest.mark.django_db
S = ApplicationState


def url(application) -> str:
    return reverse("applications:staff-dossier", args=[application.pk])


def submitted_review(application, reviewer, programme_criteria, score, recommendation):
    review = factories.ReviewFactory(
        application=application,
        reviewer=reviewer,
        state=ReviewState.SUBMITTED,
        recommendation=recommendation,
        weighted_score=score,
        summary=f"Sound plan, score {score}.",
        submitted_at=timezone.now(),
    )
    for criterion in programme_criteria:
        if criterion.is_gate:
            factories.CriterionScoreFactory(
                review=review, criterion=criterion, score=None, gate_met=True
            )
        else:
            factories.CriterionScoreFactory(
                review=review, criterion=criterion, score=4, rationale="Clear custody model."
            )
    return review


def build(*, blind: bool = False, size: int = 1):
    """An approved application with `size` document versions, `size` submitted reviews,
    a confirmed decision with a reason per criterion, and `size` extra audit events."""
    application = factories.SubmittedApplicationFactory(
        state=S.APPROVED,
        reference="SBX-2026-00777",
        title="Tenge stablecoin pilot",
        cohort__programme__blind_review=blind,
        organisation__legal_name_en="Steppe Digital LLP",
        organisation__bin="210140012345",
    )
    programme_criteria = criteria(application.cohort.programme)
    requirement = factories.DocumentRequirementFactory(
        programme=application.cohort.programme, name_en="Business plan"
    )
    document = factories.DocumentFactory(application=application, requirement=requirement)
    for number in range(1, size + 1):
        factories.DocumentVersionFactory(
            document=document,
            number=number,
            original_name=f"steppe-plan-{number}.pdf",
            content=b"%PDF-1.4\n" + b"0" * 3000 + b"\n%%EOF\n",
        )
    factories.DocumentVersionFactory(
        document=document,
        number=size + 1,
        original_name="steppe-infected.pdf",
        scan_status="quarantined",
    )
    for number in range(size):
        reviewer = panel_reviewer(application.cohort, full_name=f"Dana Reviewer{number}")
        submitted_review(application, reviewer, programme_criteria, "4.00", "proceed")
    maker = factories.ProgrammeAdminFactory(full_name="Marat Maker")
    checker = factories.ProgrammeAdminFactory(full_name="Aigul Checker")
    decision = factories.DecisionFactory(
        application=application,
        outcome="approved_with_conditions",
        state="confirmed",
        made_by=maker,
        checked_by=checker,
        checked_at=timezone.now(),
        conditions="Keep reserves at 102%\nReport monthly",
    )
    for criterion in programme_criteria:
        DecisionReason.objects.create(
            decision=decision, criterion=criterion, text=f"Reason on {criterion.name_en}."
        )
    with transaction.atomic():
        record_event(
            kind=EventKind.APPLICATION_SUBMITTED,
            actor=application.created_by,
            application=application,
        )
        for _number in range(size):
            record_event(kind=EventKind.REVIEW_SUBMITTED, actor=reviewer, application=application)
        record_event(kind=EventKind.DECISION_CONFIRMED, actor=checker, application=application)
    return application


# --- who may open it -------------------------------------------------------------------------


@pytest.fixture
def application():
    return build()


def test_anonymous_is_sent_to_sign_in(client, application):
    response = client.get(url(application))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_applicants_are_refused_even_their_own(client, application):
    client.force_login(application.created_by)

    assert client.get(url(application)).status_code == 403


@pytest.mark.parametrize("make", [panel_reviewer, recused_reviewer])
def test_reviewers_not_cleared_get_404(client, application, make):
    reviewer = make(application.cohort) if make is panel_reviewer else make(application)
    client.force_login(reviewer)

    assert client.get(url(application)).status_code == 404


def test_a_reviewer_yet_to_declare_is_sent_to_the_declaration(client, application):
    client.force_login(pending_reviewer(application))

    response = client.get(url(application))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "applications:reviewer-declaration", args=[application.pk]
    )


def test_drafts_have_no_dossier(client, programme_admin):
    draft = factories.ApplicationFactory()
    client.force_login(programme_admin)

    assert client.get(url(draft)).status_code == 404


def test_post_is_refused(client, programme_admin, application):
    client.force_login(programme_admin)

    assert client.post(url(application)).status_code == 405


# --- what an admin reads ---------------------------------------------------------------------


def test_admin_reads_everything(client, programme_admin, application):
    client.force_login(programme_admin)

    response = client.get(url(application))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Steppe Digital LLP · BIN 210140012345" in html
    assert "Tenge stablecoin pilot" in html
    # Answers
    assert "All tokens redeemed at par within 10 working days of the end of the test." in html
    # Documents: every version, its size, checksum and check, the quarantined one too.
    versions = [
        (v.number, v.shown_name, v.size, v.sha256, v.scan_status)
        for slot in response.context["documents"]
        for v in slot["versions"]
    ]
    first = versions[-1]
    assert [(n, name, status) for n, name, _size, _sha, status in versions] == [
        (2, "steppe-infected.pdf", "quarantined"),
        (1, "steppe-plan-1.pdf", "clean"),
    ]
    assert f'<td class="checksum">{first[3]}</td>' in html
    assert first[2] == 3016
    assert '2.9\xa0KB <span class="small text-body-secondary">(3016 bytes)</span>' in html
    assert 'data-scan="quarantined">Quarantined</span>' in html
    # Reviews under the reviewers' names
    assert "Dana Reviewer0 · Proceed · 4.00" in html
    assert "Sound plan, score 4.00." in html
    assert "Innovation: Clear custody model." in html
    # Decision with maker and checker, reasons and conditions
    assert "<strong>Approved with conditions</strong> · Confirmed" in html
    assert "Maker: Marat Maker" in html
    assert "checker: Aigul Checker" in html
    assert "Reason on Innovation." in html
    assert "<li>Keep reserves at 102%</li>" in html
    # History, oldest first, with who acted
    history = [(e.kind, e.actor_label) for e in response.context["history"]]
    assert history == [
        (EventKind.APPLICATION_SUBMITTED, application.created_by.display_name),
        (EventKind.REVIEW_SUBMITTED, "Dana Reviewer0"),
        (EventKind.DECISION_CONFIRMED, "Aigul Checker"),
    ]


def test_print_assets_are_static_files_and_no_script_is_inline(
    client, programme_admin, application
):
    client.force_login(programme_admin)

    html = client.get(url(application)).content.decode()

    assert '<link rel="stylesheet" href="/static/css/dossier.css">' in html
    assert '<script src="/static/js/print.js" defer></script>' in html
    assert '<button class="btn btn-primary" type="button" data-print id="print-dossier">' in html
    assert "<script>" not in html
    assert " style=" not in html
    assert "onclick" not in html


def test_the_print_stylesheet_hides_the_page_chrome():
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/dossier.css")).read_text(encoding="utf-8")

    assert "@media print" in css
    assert "nav.navbar" in css
    assert ".dossier-actions" in css


def test_the_staff_page_links_to_the_dossier(client, programme_admin, application):
    client.force_login(programme_admin)

    html = client.get(
        reverse("applications:staff-application-detail", args=[application.pk])
    ).content.decode()

    assert f'href="{url(application)}" id="dossier-link"' in html


# --- what a reviewer reads -------------------------------------------------------------------


def test_blind_review_hides_the_applicant_and_reviewers_are_numbered(client):
    application = build(blind=True)
    factories.PersonFactory(organisation=application.organisation, full_name="Timur Abenov")
    reviewer = cleared_reviewer(application, full_name="Olzhas Own")
    submitted_review(application, reviewer, criteria_of(application), "3.00", "reject")
    client.force_login(reviewer)

    response = client.get(url(application))

    html = response.content.decode()
    assert response.status_code == 200
    for secret in (
        "Steppe Digital LLP",
        "210140012345",
        "steppe-plan-1.pdf",
        "Timur Abenov",
        "Dana Reviewer0",
        "Marat Maker",
        "Aigul Checker",
        application.created_by.display_name,
        "steppe-infected.pdf",
    ):
        assert secret not in html, secret
    assert "Hidden (blind review)" in html
    requirement_code = response.context["documents"][0]["requirement"].code
    assert f"SBX-2026-00777-{requirement_code}-v1.pdf" in html
    assert [item["label"] for item in response.context["reviews"]["reviews"]] == [
        "Reviewer 1",
        "You",
    ]
    assert response.context["decisions"] is None
    assert 'id="dossier-decision-section"' not in html
    assert [e.actor_label for e in response.context["history"]] == [
        "Applicant",
        "Regulator staff",
        "Regulator staff",
    ]


def criteria_of(application):
    from applications.queries.reviews import criteria_of as read

    return read(application)


def test_a_reviewer_reads_other_reviews_only_once_theirs_is_submitted(client, application):
    reviewer = cleared_reviewer(application)
    factories.ReviewFactory(application=application, reviewer=reviewer)  # a draft
    client.force_login(reviewer)

    response = client.get(url(application))

    assert response.context["reviews"] == {"visible": False}
    assert "Dana Reviewer0" not in response.content.decode()
    assert "Other reviewers' reviews are shown once yours is submitted." in (
        response.content.decode()
    )


def test_a_reviewer_on_an_open_programme_reads_the_applicant(client, application):
    reviewer = cleared_reviewer(application)
    client.force_login(reviewer)

    html = client.get(url(application)).content.decode()

    assert "Steppe Digital LLP · BIN 210140012345" in html
    assert "steppe-plan-1.pdf" in html
    assert "steppe-infected.pdf" not in html  # staff pages never list unclean versions to them


# --- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 6])
def test_dossier_query_count_is_constant(client, programme_admin, django_assert_num_queries, size):
    application = build(size=size)
    client.force_login(programme_admin)

    # user, TOTP check, application, requirements, versions, criteria, reviews, scores,
    # decisions, reasons, events
    with django_assert_num_queries(11):
        response = client.get(url(application))

    assert len(response.context["reviews"]["reviews"]) == size
    assert len(response.context["history"]) == size + 2


def test_released_at_is_shown(client, programme_admin, application):
    decision = application.decisions.get()
    decision.released_at = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
    decision.save()
    client.force_login(programme_admin)

    html = client.get(url(application)).content.decode()

    assert "released Oct. 5, 2026" in html
