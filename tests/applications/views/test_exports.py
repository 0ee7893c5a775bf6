"""Exports of applications (CSV and XLSX): who may, the exact rows, the All applications filters,
the audit event, and streaming: the first row leaves after the first chunk is read, with a
constant number of queries per chunk."""

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications import spreadsheets
from applications.enums import ApplicationState, EventKind, ReviewState
from applications.models import AuditEvent, DecisionReason
from applications.queries import exports
from tests import factories

pytestmark = pytest.mark.django_db
S = ApplicationState
CSV_URL = reverse("console:export-applications-csv")
XLSX_URL = reverse("console:export-applications-xlsx")
HEADER = [
    "Reference",
    "Legal name",
    "BIN or registration number",
    "Programme",
    "Cohort",
    "State",
    "Submitted at",
    "Mean weighted score",
    "Mean score per criterion",
    "Submitted reviews",
    "Recommendations",
    "Decision",
    "Reasons for the decision",
    "Conditions",
    "Released at",
]


def parse_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def parse_xlsx(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook["Applications"].iter_rows(values_only=True)]


def review(application, reviewer, recommendation, weighted, scores):
    made = factories.ReviewFactory(
        application=application,
        reviewer=reviewer,
        state=ReviewState.SUBMITTED,
        recommendation=recommendation,
        weighted_score=Decimal(weighted),
        submitted_at=timezone.now(),
    )
    for criterion, value in scores.items():
        if criterion.is_gate:
            factories.CriterionScoreFactory(
                review=made, criterion=criterion, score=None, gate_met=value
            )
        else:
            factories.CriterionScoreFactory(review=made, criterion=criterion, score=value)
    return made


@pytest.fixture
def programme():
    return factories.ProgrammeFactory(code="nbk-da", name_en="NBK digital assets")


@pytest.fixture
def criteria(programme):
    return [
        factories.CriterionFactory(
            programme=programme, code="innovation", name_en="Innovation", weight=30, position=1
        ),
        factories.CriterionFactory(
            programme=programme, code="benefit", name_en="Consumer benefit", weight=10, position=2
        ),
        factories.CriterionFactory(
            programme=programme,
            code="fit",
            name_en="Fit and proper",
            is_gate=True,
            weight=0,
            position=3,
        ),
    ]


@pytest.fixture
def cohort(programme):
    return factories.CohortFactory(programme=programme, name="2026-2 CryptoCity")


@pytest.fixture
def decided(cohort, criteria):
    """Approved with conditions and released, after two submitted reviews and one draft."""
    innovation, benefit, fit = criteria
    released = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
    application = factories.SubmittedApplicationFactory(
        cohort=cohort,
        state=S.APPROVED,
        reference="SBX-2026-00042",
        submitted_at=datetime(2026, 9, 1, 4, 15, tzinfo=UTC),
        decision_released_at=released,
        organisation__legal_name_en="Steppe Digital LLP",
        organisation__bin="210140012345",
    )
    review(
        application,
        factories.ReviewerFactory(),
        "proceed",
        "3.75",
        {innovation: 4, benefit: 3, fit: True},
    )
    review(
        application,
        factories.ReviewerFactory(),
        "reject",
        "4.25",
        {innovation: 5, benefit: 2, fit: False},
    )
    factories.ReviewFactory(application=application, recommendation="defer")  # a draft
    decision = factories.DecisionFactory(
        application=application,
        outcome="approved_with_conditions",
        state="confirmed",
        conditions="Keep reserves of 102%\n\nReport monthly",
        checked_by=factories.ProgrammeAdminFactory(),
        checked_at=released - timedelta(days=1),
        released_at=released,
    )
    DecisionReason.objects.create(decision=decision, criterion=innovation, text="Novel custody.")
    DecisionReason.objects.create(decision=decision, criterion=benefit, text="=Cheaper transfers")
    return application


DECIDED_ROW = [
    "SBX-2026-00042",
    "Steppe Digital LLP",
    "210140012345",
    "NBK digital assets",
    "2026-2 CryptoCity",
    "Approved",
    "2026-09-01 09:15",
    "4.00",
    "innovation 4.50; benefit 2.50; fit met 1/2",
    "2",
    "Proceed: 1; Reject: 1",
    "Approved with conditions",
    "Innovation: Novel custody.\nConsumer benefit: =Cheaper transfers",
    "Keep reserves of 102%\nReport monthly",
    "2026-10-05 14:00",
]


# --- who may export --------------------------------------------------------------------------


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("applicant", 403), ("reviewer", 403), ("programme_admin", 200)],
)
def test_export_is_for_programme_admins_only(client, role, expected, url, request):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    response = client.get(url)

    assert response.status_code == expected
    assert AuditEvent.objects.filter(kind=EventKind.APPLICATIONS_EXPORTED).count() == (
        1 if expected == 200 else 0
    )


def test_post_is_refused(client, programme_admin):
    client.force_login(programme_admin)

    assert client.post(CSV_URL).status_code == 405


# --- what it holds ---------------------------------------------------------------------------


def test_csv_rows_hold_scores_recommendations_and_the_decision(
    client, programme_admin, decided, settings
):
    settings.TIME_ZONE = "Asia/Almaty"
    undecided = factories.SubmittedApplicationFactory(
        cohort=decided.cohort,
        reference="SBX-2026-00043",
        submitted_at=datetime(2026, 9, 2, 4, 15, tzinfo=UTC),
        organisation__legal_name_en="=Formula Firm LLP",
        organisation__bin="210140054321",
    )
    factories.ApplicationFactory(cohort=decided.cohort)  # a draft: never exported
    client.force_login(programme_admin)

    response = client.get(CSV_URL, {"sort": "submitted"})

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="applications-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert response["Cache-Control"] == "no-store"
    assert response["X-Accel-Buffering"] == "no"
    assert parse_csv(response) == [
        HEADER,
        DECIDED_ROW,
        [
            undecided.reference,
            "'=Formula Firm LLP",
            "210140054321",
            "NBK digital assets",
            "2026-2 CryptoCity",
            "Submitted",
            "2026-09-02 09:15",
            "",
            "",
            "0",
            "",
            "",
            "",
            "",
            "",
        ],
    ]


def test_xlsx_opens_in_openpyxl_with_the_same_rows(client, programme_admin, decided, settings):
    settings.TIME_ZONE = "Asia/Almaty"
    client.force_login(programme_admin)

    response = client.get(XLSX_URL)

    assert response["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        f'attachment; filename="applications-{timezone.localdate():%Y-%m-%d}.xlsx"'
    )
    expected = [*DECIDED_ROW]
    expected[7] = 4
    expected[9] = 2
    assert parse_xlsx(response) == [HEADER, expected]


def test_headers_and_labels_follow_the_language(client, programme_admin, decided):
    programme_admin.preferred_language = "ru"
    programme_admin.save()
    client.force_login(programme_admin)

    rows = parse_csv(client.get(CSV_URL))

    assert rows[0][0] == "Регистрационный номер"
    assert rows[1][3] == "Особый режим регулирования НБК: цифровые активы"


# --- filters ---------------------------------------------------------------------------------


@pytest.fixture
def spread(cohort):
    """Applications in two programmes, two cohorts of the first, several states."""
    other_cohort = factories.CohortFactory(programme=cohort.programme, name="2027-1")
    other_programme = factories.CohortFactory(name="AIFC rolling")
    make = factories.SubmittedApplicationFactory
    return {
        "a": make(cohort=cohort, reference="SBX-A", state=S.SCREENING),
        "b": make(cohort=cohort, reference="SBX-B", state=S.EVALUATION),
        "c": make(cohort=other_cohort, reference="SBX-C", state=S.SCREENING),
        "d": make(cohort=other_programme, reference="SBX-D", state=S.SCREENING),
        "cohort": cohort,
        "other_cohort": other_cohort,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["SBX-A", "SBX-B", "SBX-C", "SBX-D"]),
        ({"programme": "PROGRAMME"}, ["SBX-A", "SBX-B", "SBX-C"]),
        ({"cohort": "COHORT"}, ["SBX-A", "SBX-B"]),
        ({"state": "screening"}, ["SBX-A", "SBX-C", "SBX-D"]),
        ({"programme": "PROGRAMME", "state": "screening"}, ["SBX-A", "SBX-C"]),
        ({"q": "SBX-B"}, ["SBX-B"]),
        ({"cohort": "not-a-number"}, ["SBX-A", "SBX-B", "SBX-C", "SBX-D"]),
    ],
)
def test_export_honours_the_all_applications_filters(
    client, programme_admin, spread, query, expected
):
    ids = {"PROGRAMME": str(spread["cohort"].programme_id), "COHORT": str(spread["cohort"].pk)}
    query = {key: ids.get(value, value) for key, value in query.items()}
    client.force_login(programme_admin)

    rows = parse_csv(client.get(CSV_URL, {**query, "sort": "submitted"}))

    assert sorted(row[0] for row in rows[1:]) == expected


def test_the_queue_offers_its_filters_to_the_export(client, programme_admin, spread):
    client.force_login(programme_admin)
    cohort = spread["cohort"].pk

    response = client.get(reverse("applications:queue-all"), {"cohort": cohort, "page": 1})

    html = response.content.decode()
    assert f'href="{CSV_URL}?cohort={cohort}"' in html
    assert f'href="{XLSX_URL}?cohort={cohort}"' in html


def test_the_queue_filters_by_programme(client, programme_admin, spread):
    client.force_login(programme_admin)

    response = client.get(
        reverse("applications:queue-all"), {"programme": spread["cohort"].programme_id}
    )

    assert sorted(a.reference for a in response.context["applications"]) == [
        "SBX-A",
        "SBX-B",
        "SBX-C",
    ]


def test_the_cohort_page_offers_its_export(client, programme_admin, cohort):
    client.force_login(programme_admin)

    html = client.get(reverse("console:cohort-detail", args=[cohort.pk])).content.decode()

    assert f'href="{CSV_URL}?cohort={cohort.pk}"' in html
    assert f'href="{XLSX_URL}?cohort={cohort.pk}"' in html


def test_other_queues_offer_no_export(client, programme_admin, spread):
    client.force_login(programme_admin)

    html = client.get(reverse("applications:queue-mine")).content.decode()

    assert CSV_URL not in html


# --- audit -----------------------------------------------------------------------------------


def test_each_export_is_one_audit_event_with_who_and_what(client, programme_admin, spread):
    client.force_login(programme_admin)
    cohort = spread["cohort"].pk

    client.get(XLSX_URL, {"cohort": cohort, "state": "screening", "q": "", "junk": "1"})

    event = AuditEvent.objects.get(kind=EventKind.APPLICATIONS_EXPORTED)
    assert event.actor == programme_admin
    assert event.application is None
    assert event.subject == "export:applications"
    assert event.data == {
        "format": "xlsx",
        "filters": {"cohort": str(cohort), "state": "screening"},
    }
    assert event.ip_address == "127.0.0.1"


# --- streaming -------------------------------------------------------------------------------


def many(cohort, criteria, count: int):
    """`count` applications, each with two submitted reviews (scores) and a confirmed decision
    with a reason, so every prefetch of a chunk has rows to read."""
    innovation = criteria[0]
    reviewers = [factories.ReviewerFactory(), factories.ReviewerFactory()]
    checker = factories.ProgrammeAdminFactory()
    applications = []
    for n in range(count):
        application = factories.SubmittedApplicationFactory(
            cohort=cohort,
            state=S.APPROVED,
            reference=f"SBX-2026-{n:05d}",
            submitted_at=datetime(2026, 9, 1, tzinfo=UTC) + timedelta(minutes=n),
        )
        for reviewer in reviewers:
            review(application, reviewer, "proceed", "4.00", {innovation: 4})
        decision = factories.DecisionFactory(
            application=application, state="confirmed", checked_by=checker
        )
        DecisionReason.objects.create(decision=decision, criterion=innovation, text="Good.")
        applications.append(application)
    return applications


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 5 rows, and every CSV line handed to the server as soon as it is written."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 5)
    monkeypatch.setattr(spreadsheets, "FLUSH_BYTES", 1)


# One cursor for the rows, then per chunk: reviews, their scores, decisions, their reasons.
QUERIES_PER_CHUNK = 4


def test_the_first_row_leaves_before_the_rows_are_all_read(
    client, programme_admin, cohort, criteria, small_chunks
):
    many(cohort, criteria, 15)  # three chunks
    client.force_login(programme_admin)
    response = client.get(CSV_URL, {"sort": "submitted"})
    stream = iter(response.streaming_content)

    with CaptureQueriesContext(connection) as before_first_row:
        header = next(stream)
        first_row = next(stream)
    with CaptureQueriesContext(connection) as rest:
        remaining = list(stream)

    assert header.startswith(b"\xef\xbb\xbfReference,")
    assert first_row.startswith(b"SBX-2026-00000,")
    # The row query and the first chunk's four prefetches: the other 10 rows are not read yet.
    assert len(before_first_row) == 1 + QUERIES_PER_CHUNK
    assert len(remaining) == 14
    assert len(rest) == 2 * QUERIES_PER_CHUNK


@pytest.mark.parametrize(("count", "chunks"), [(5, 1), (15, 3), (30, 6)])
def test_queries_grow_with_chunks_not_rows_or_reviews(
    client, programme_admin, cohort, criteria, small_chunks, count, chunks
):
    many(cohort, criteria, count)
    client.force_login(programme_admin)
    response = client.get(XLSX_URL)

    with CaptureQueriesContext(connection) as streamed:
        body = b"".join(response.streaming_content)

    assert len(streamed) == 1 + QUERIES_PER_CHUNK * chunks
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    assert workbook["Applications"].max_row == count + 1


def test_rows_are_read_with_a_bounded_chunk(programme_admin, cohort, criteria, monkeypatch):
    """The iterator is asked for chunks of CHUNK_SIZE rows, never for the whole queryset."""
    many(cohort, criteria, 3)
    asked = []
    real_iterator = type(exports.Application.objects.all()).iterator

    def spy(queryset, chunk_size=None):
        asked.append(chunk_size)
        return real_iterator(queryset, chunk_size=chunk_size)

    monkeypatch.setattr(type(exports.Application.objects.all()), "iterator", spy)
    from applications import queries
    from applications.queries.queues import QueueFilters

    queryset = exports.export_queryset(
        programme_admin,
        QueueFilters(),
        today=timezone.localdate(),
        calendar=queries.working_calendar(),
    )

    assert len(list(exports.rows(queryset))) == 3
    assert asked == [exports.CHUNK_SIZE]
