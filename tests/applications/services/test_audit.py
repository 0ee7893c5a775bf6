import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from applications.enums import EventKind
from applications.models import AuditChainHead, AuditEvent
from applications.services.audit import record_event, verify_chain

pytestmark = pytest.mark.django_db


def _three_events(applicant):
    with transaction.atomic():
        for number in range(3):
            record_event(
                kind=EventKind.ORGANISATION_UPDATED,
                actor=applicant,
                organisation=applicant.organisation,
                data={"n": number},
            )
    return list(AuditEvent.objects.order_by("id"))


def test_record_event_chains_each_event_to_the_previous(applicant):
    first, second, third = _three_events(applicant)

    assert first.previous_hash == "0" * 64
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert AuditChainHead.objects.get(pk=1).last_hash == third.hash
    assert verify_chain() == []


@pytest.mark.django_db(transaction=True)
def test_record_event_refuses_to_run_outside_a_transaction(applicant):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record_event(kind=EventKind.ORGANISATION_UPDATED, actor=applicant)


def test_verify_chain_finds_an_edited_event(applicant):
    _first, second, _third = _three_events(applicant)
    AuditEvent.objects.filter(pk=second.pk).update(data={"n": 99})

    assert verify_chain() == [f"event {second.pk}: its content was changed"]


def test_verify_chain_finds_a_deleted_event(applicant):
    _first, second, third = _three_events(applicant)
    AuditEvent.objects.filter(pk=second.pk).delete()

    assert verify_chain() == [f"event {third.pk}: the event before it was changed or removed"]


def test_verify_chain_finds_removed_newest_events(applicant):
    *_, third = _three_events(applicant)
    AuditEvent.objects.filter(pk=third.pk).delete()

    assert verify_chain() == ["the newest events were removed"]


def test_verify_audit_chain_command_reports_tampering(applicant, capsys):
    _first, second, _third = _three_events(applicant)
    call_command("verify_audit_chain")
    assert "intact" in capsys.readouterr().out

    AuditEvent.objects.filter(pk=second.pk).update(kind=EventKind.MEMBER_REMOVED)
    with pytest.raises(CommandError, match="1 problem"):
        call_command("verify_audit_chain")
