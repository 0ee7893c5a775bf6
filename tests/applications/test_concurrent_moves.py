"""Two people acting on the same application at once: exactly one wins, the others get a clear
message (DESIGN.md §2). Twenty staff press conflicting buttons at the same instant, fifty times
over: even rounds over HTTP (the views turn the loser's StaleState into a message, never a 500),
odd rounds straight through the services (the same choke point, without the HTTP overhead that
would make fifty rounds slow). Needs PostgreSQL's row locks: SQLite locks the whole file, which
would make the race vacuous."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from applications.enums import DocumentCheck, EventKind
from applications.exceptions import WorkflowError
from applications.models import Application, AuditEvent
from applications.services import review_stages
from applications.services.audit import verify_chain
from tests import factories
from tests.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 50
THREADS = 20
STALE = "so this can no longer be done. Reload the page to see its current state."


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks are tested on PostgreSQL (set DATABASE_URL); SQLite locks the file.")


def _race(actions) -> list:
    """Run every action at once, one thread each (each closes its own database connection).
    Returns what each returned: (HTTP status or "service", [messages]), or the exception."""
    return race(actions)


def _over_http(client, url):
    def post():
        response = client.post(url)
        messages = [str(message) for message in get_messages(response.wsgi_request)]
        # The message is shown on the next page; drop it so the next round starts clean.
        session = client.session
        session.pop("_messages", None)
        session.save()
        return response.status_code, messages

    return post


def _through_service(service, actor, application):
    def call():
        try:
            service(actor=actor, application_id=application.pk)
        except WorkflowError as error:
            return "service", [str(error)]
        return "service", ["moved"]

    return call


class Stage:
    """One programme and twenty staff, reused every round; a fresh application per round."""

    def __init__(self):
        self.cohort = factories.CohortFactory()
        self.requirement = factories.DocumentRequirementFactory(programme=self.cohort.programme)
        self.applicant = factories.ApplicantFactory()
        self.reviewers = [factories.ReviewerFactory() for _n in range(THREADS // 2)]
        self.admins = [factories.ProgrammeAdminFactory() for _n in range(THREADS // 2)]
        self.cohort.panel.add(*self.reviewers)
        self.proposer = factories.ReviewerFactory()
        self.clients = {}
        for user in [*self.reviewers, *self.admins]:
            self.clients[user.pk] = Client()
            self.clients[user.pk].force_login(user)

    def application(self, state):
        application = factories.SubmittedApplicationFactory(
            state=state,
            cohort=self.cohort,
            organisation=self.applicant.organisation,
            created_by=self.applicant,
            case_officer=self.reviewers[0],
        )
        document = factories.DocumentFactory(
            application=application, requirement=self.requirement, screening=DocumentCheck.ACCEPTED
        )
        factories.DocumentVersionFactory(document=document, number=1)
        for reviewer in self.reviewers:
            factories.ReviewerAssignmentFactory(
                application=application,
                reviewer=reviewer,
                assigned_by=self.admins[0],
                declaration="no_conflict",
            )
        return application


def _package_complete_round(stage):
    """Twenty staff press "package complete" (SCREENING → ELIGIBILITY) over HTTP."""
    application = stage.application("screening")
    url = reverse("applications:move-accept-as-complete", kwargs={"pk": application.pk})
    actions = [_over_http(client, url) for client in stage.clients.values()]
    return application, actions, {EventKind.PACKAGE_COMPLETE: "eligibility"}


def _eligibility_round(stage):
    """Ten reviewers find it eligible while ten admins confirm it not eligible."""
    application = stage.application("eligibility")
    Application.objects.filter(pk=application.pk).update(
        not_eligible_reasons="Out of scope", not_eligible_proposed_by=stage.proposer
    )
    actions = [
        _through_service(review_stages.find_eligible, reviewer, application)
        for reviewer in stage.reviewers
    ] + [
        _through_service(review_stages.confirm_not_eligible, admin, application)
        for admin in stage.admins
    ]
    return (
        application,
        actions,
        {
            EventKind.FOUND_ELIGIBLE: "evaluation",
            EventKind.NOT_ELIGIBLE_CONFIRMED: "not_eligible",
        },
    )


def test_twenty_conflicting_moves_fifty_times_have_exactly_one_winner(postgresql_only):
    stage = Stage()

    for round_number in range(ROUNDS):
        make_round = _package_complete_round if round_number % 2 == 0 else _eligibility_round
        application, actions, outcomes = make_round(stage)

        results = _race(actions)

        assert [r for r in results if isinstance(r, Exception)] == [], f"round {round_number}"
        statuses = {status for status, _messages in results}
        assert statuses == ({302} if round_number % 2 == 0 else {"service"})
        texts = [messages for _status, messages in results]
        assert all(len(messages) == 1 for messages in texts), texts
        losers = [messages[0] for messages in texts if messages[0].endswith(STALE)]
        assert len(losers) == THREADS - 1, f"round {round_number}: {texts}"
        events = list(
            AuditEvent.objects.filter(application=application, kind__in=outcomes).values_list(
                "kind", flat=True
            )
        )
        assert len(events) == 1, f"round {round_number}: {events}"
        assert Application.objects.get(pk=application.pk).state == outcomes[events[0]]

    assert verify_chain() == []
