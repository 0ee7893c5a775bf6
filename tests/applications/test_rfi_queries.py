from datetime import date, timedelta

import pytest
from django.utils import timezone

from applications.enums import RfiState
from applications.models import Application
from applications.queries.rfis import overdue_rfis, rfi_thread, with_rfi_flags
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 10)


def test_overdue_means_open_with_its_due_date_passed():
    late = factories.RequestForInformationFactory(due_on=TODAY - timedelta(days=1))
    factories.RequestForInformationFactory(due_on=TODAY)  # due today: not yet overdue
    factories.RequestForInformationFactory(
        due_on=TODAY - timedelta(days=5),
        state=RfiState.ANSWERED,
        answered_at=timezone.now(),
    )
    factories.RequestForInformationFactory(due_on=TODAY - timedelta(days=5), state="cancelled")

    assert list(overdue_rfis(TODAY)) == [late]


def test_with_rfi_flags_annotates_open_and_overdue_in_one_query(django_assert_num_queries):
    overdue = factories.RequestForInformationFactory(due_on=TODAY - timedelta(days=1)).application
    waiting = factories.RequestForInformationFactory(due_on=TODAY + timedelta(days=3)).application
    answered = factories.RequestForInformationFactory(
        state=RfiState.ANSWERED, answered_at=timezone.now()
    ).application
    none = factories.SubmittedApplicationFactory()

    with django_assert_num_queries(1):
        flags = {
            application.pk: (application.has_open_rfi, application.rfi_overdue)
            for application in with_rfi_flags(Application.objects.all(), TODAY)
        }

    assert flags == {
        overdue.pk: (True, True),
        waiting.pk: (True, False),
        answered.pk: (False, False),
        none.pk: (False, False),
    }


def test_thread_marks_overdue_requests_and_names_the_steps():
    rfi = factories.RequestForInformationFactory(
        due_on=TODAY - timedelta(days=1), editable_steps=["risks", "gone-step"]
    )

    (shown,) = rfi_thread(rfi.application, today=TODAY)

    assert shown.overdue is True
    assert [str(title) for title in shown.steps] == ["Risks and safeguards"]
    assert (shown.changed_answers, shown.new_documents, shown.cancel_reason) == ([], [], "")
