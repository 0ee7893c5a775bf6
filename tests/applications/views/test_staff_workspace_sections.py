"""The staff page's reviews and notes sections, and internal notes kept from applicants."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.enums import ApplicationState, ReviewState
from applications.models import InternalNote
from applications.queries.reviews import review_summary
from tests import factories
from tests.applications.workspace import cleared_reviewer, criteria

pytestmark = pytest.mark.django_db
S = ApplicationState


def detail(application):
    return reverse("applications:staff-application-detail", args=[application.pk])


def submitted_review(application, scored, scores, gate=True, **kwargs):
    reviewer = cleared_reviewer(application, **kwargs)
    review = factories.ReviewFactory(
        application=application,
        reviewer=reviewer,
        state=ReviewState.SUBMITTED,
        recommendation="proceed",
        summary=f"Summary by {reviewer.full_name}",
        weighted_score=Decimal(scores[2]),
    )
    for criterion, score in zip(scored[:2], scores[:2], strict=True):
        factories.CriterionScoreFactory(review=review, criterion=criterion, score=score)
    factories.CriterionScoreFactory(
        review=review,
        criterion=scored[2],
        score=None,
        gate_met=gate,
        rationale="" if gate else "No MLRO",
    )
    return reviewer


@pytest.fixture
def evaluated():
    application = factories.SubmittedApplicationFactory(state=S.EVALUATION)
    scored = criteria(application.cohort.programme)
    first = submitted_review(application, scored, (4, 2, "3.50"), full_name="Asel Bekova")
    second = submitted_review(
        application, scored, (2, 4, "2.50"), gate=False, full_name="Marat Aliyev"
    )
    return application, scored, first, second


def test_review_summary_aggregates_and_spreads(evaluated, django_assert_num_queries):
    application, _scored, _first, _second = evaluated

    with django_assert_num_queries(3):
        summary = review_summary(application)

    assert (summary["count"], summary["mean"], summary["minimum"], summary["maximum"]) == (
        2,
        Decimal("3.00"),
        Decimal("2.50"),
        Decimal("3.50"),
    )
    assert summary["stdev"] == Decimal("0.50")
    rows = {row["criterion"].name_en: row for row in summary["rows"]}
    assert rows["Innovation"]["mean"] == Decimal("3.00")
    assert [cell.score for cell in rows["Consumer benefit"]["cells"]] == [2, 4]
    assert (rows["Fit and proper"]["met"], rows["Fit and proper"]["not_met"]) == (1, 1)


def test_admins_see_every_review_on_the_staff_page(client, programme_admin, evaluated):
    application, _scored, _first, _second = evaluated
    client.force_login(programme_admin)

    content = client.get(detail(application)).content.decode()

    assert '<dd class="col-sm-7" data-value="mean">3.00</dd>' in content
    assert '<dd class="col-sm-7" data-value="range">2.50–3.50</dd>' in content
    assert '<dd class="col-sm-7" data-value="stdev">0.50</dd>' in content
    assert "Summary by Asel Bekova" in content
    assert "Summary by Marat Aliyev" in content
    assert "<li>Fit and proper: No MLRO</li>" in content


def test_a_reviewer_sees_others_only_after_submitting(client, evaluated):
    application, _scored, first, _second = evaluated
    waiting = cleared_reviewer(application)

    client.force_login(waiting)
    before = client.get(detail(application)).content.decode()
    client.force_login(first)
    after = client.get(detail(application)).content.decode()

    assert "Summary by Marat Aliyev" not in before
    assert 'id="review-aggregate"' not in before
    assert "Write your review" in before
    assert "Summary by Marat Aliyev" in after
    assert "Your review is submitted (weighted score 3.50)." in after


def page_queries(client, application):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail(application))
    assert response.status_code == 200
    return len(queries)


def test_the_staff_page_query_count_does_not_grow_with_reviews_or_notes(client, programme_admin):
    application = factories.SubmittedApplicationFactory(state=S.EVALUATION)
    scored = criteria(application.cohort.programme)
    submitted_review(application, scored, (3, 3, "3.00"))
    factories.InternalNoteFactory(application=application)
    client.force_login(programme_admin)
    few = page_queries(client, application)

    for n in range(6):
        submitted_review(application, scored, (n % 6, 5 - n % 6, "2.50"))
        factories.InternalNoteFactory(application=application)
    many = page_queries(client, application)

    assert few == many


def test_notes_section_adds_and_lists_notes(client, programme_admin):
    application = factories.SubmittedApplicationFactory(state=S.SCREENING)
    client.force_login(programme_admin)

    response = client.post(
        reverse("applications:note-add", args=[application.pk]),
        {"body": "The custody partner is licensed."},
        follow=True,
    )

    content = response.content.decode()
    assert "The note is added." in content
    assert '<blockquote class="mb-1 small">The custody partner is licensed.</blockquote>' in content
    empty = client.post(
        reverse("applications:note-add", args=[application.pk]), {"body": ""}, follow=True
    )
    assert "This field is required." in empty.content.decode()
    assert InternalNote.objects.count() == 1


@pytest.mark.parametrize("who", ["pending_reviewer", "applicant", "stranger"])
def test_notes_cannot_be_added_by_who_may_not_open(client, who):
    application = factories.SubmittedApplicationFactory(state=S.SCREENING)
    user = {
        "pending_reviewer": lambda: (
            factories.ReviewerAssignmentFactory(application=application).reviewer
        ),
        "applicant": lambda: application.created_by,
        "stranger": lambda: factories.ReviewerFactory(),
    }[who]()
    client.force_login(user)

    response = client.post(reverse("applications:note-add", args=[application.pk]), {"body": "x"})

    assert response.status_code == 404
    assert not InternalNote.objects.exists()


def test_internal_notes_never_reach_the_applicant(client, programme_admin):
    application = factories.SubmittedApplicationFactory(state=S.SCREENING)
    applicant = application.created_by
    client.force_login(programme_admin)
    client.post(
        reverse("applications:note-add", args=[application.pk]),
        {"body": "SECRET-NOTE-MARKER about the founders"},
    )
    client.force_login(applicant)

    pages = [
        reverse("applications:application-detail", args=[application.pk]),
        reverse("applications:application-receipt", args=[application.pk]),
        reverse("applications:document-list", args=[application.pk]),
        reverse("home"),
    ]
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200
        assert b"SECRET-NOTE-MARKER" not in response.content
        assert b"Internal note" not in response.content
    assert client.get(detail(application)).status_code == 403
