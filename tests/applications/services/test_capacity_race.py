"""Two checkers approving into the last place of a cohort at the same moment: one wins.

Runs against PostgreSQL only (SQLite serialises whole-database writes, so there is no race)."""

import threading

import pytest
from django.db import connection, connections

from applications.exceptions import WorkflowError
from applications.models import Application
from applications.services.decisions import confirm_decision
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL row locks")
@pytest.mark.parametrize("round_number", range(5))
def test_last_place_goes_to_exactly_one_of_two_concurrent_approvals(round_number):
    cohort = factories.CohortFactory(capacity=1)
    maker = factories.ProgrammeAdminFactory()
    decisions = [
        factories.DecisionFactory(
            application=factories.SubmittedApplicationFactory(
                state="decision_pending", cohort=cohort
            ),
            made_by=maker,
        )
        for _ in range(2)
    ]
    checkers = [factories.ProgrammeAdminFactory() for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(decision, checker):
        try:
            barrier.wait()
            confirm_decision(actor=checker, decision_id=decision.pk)
            outcomes.append("approved")
        except WorkflowError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=(decision, checker))
        for decision, checker in zip(decisions, checkers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    refused = (
        f"The cohort “{cohort.name}” is full: 1 of 1 places are taken. "
        "Waitlist the application instead, or wait until a place is given up."
    )
    assert sorted(outcomes) == sorted(["approved", refused])
    assert Application.objects.filter(cohort=cohort, state="approved").count() == 1
    assert connection.vendor == "postgresql"
