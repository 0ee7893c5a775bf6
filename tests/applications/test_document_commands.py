"""verify_documents (command and periodic task), proxy_config, and the beat schedule."""

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from applications.enums import EventKind
from applications.models import AuditEvent
from applications.tasks import verify_documents_task
from portal.beat import BEAT_SCHEDULE
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_versions(draft):
    return [factories.DocumentVersionFactory(document__application=draft) for _n in range(3)]


def test_verify_documents_reports_all_match(three_versions, capsys):
    call_command("verify_documents")
    assert capsys.readouterr().out == "All 3 stored document versions match.\n"
    assert not AuditEvent.objects.filter(kind=EventKind.DOCUMENT_INTEGRITY_FAILED).exists()


def test_verify_documents_reports_missing_and_changed_files_and_carries_on(three_versions, capsys):
    missing, changed, _intact = three_versions
    default_storage.delete(missing.storage_key)
    with open(default_storage.path(changed.storage_key), "ab") as stored:
        stored.write(b"tampered")

    with pytest.raises(CommandError) as raised:
        call_command("verify_documents")

    assert str(raised.value) == "1 missing and 1 changed of 3 stored document versions."
    errors = capsys.readouterr().err.splitlines()
    assert errors == [
        f"missing: version {missing.pk} (business-plan.pdf, key {missing.storage_key}, expected SHA-256 {missing.sha256})",
        f"changed: version {changed.pk} (business-plan.pdf, key {changed.storage_key}, expected SHA-256 {changed.sha256})",
    ]
    events = AuditEvent.objects.filter(kind=EventKind.DOCUMENT_INTEGRITY_FAILED).order_by("id")
    assert [(e.subject, e.data["problem"]) for e in events] == [
        (f"document_version:{missing.pk}", "missing"),
        (f"document_version:{changed.pk}", "mismatch"),
    ]


def test_verify_documents_task_returns_the_problem_ids(three_versions):
    default_storage.delete(three_versions[0].storage_key)
    assert verify_documents_task.delay().get() == {
        "checked": 3,
        "missing": [three_versions[0].pk],
        "mismatched": [],
    }


def test_beat_schedule_runs_the_rescans_every_minute_and_the_verification_daily(settings):
    from portal.celery_app import app

    assert settings.CELERY_BEAT_SCHEDULE is BEAT_SCHEDULE
    assert BEAT_SCHEDULE["requeue-pending-document-scans"] == {
        "task": "applications.requeue_pending_scans",
        "schedule": 60.0,
    }
    assert BEAT_SCHEDULE["verify-stored-documents"]["task"] == "applications.verify_documents"
    app.loader.import_default_modules()
    assert {entry["task"] for entry in BEAT_SCHEDULE.values()} <= set(app.tasks)


def test_proxy_config_body_limit_follows_the_largest_document_limit(capsys, cohort):
    factories.DocumentRequirementFactory(programme=cohort.programme, max_size_mb=25)
    factories.DocumentRequirementFactory(programme=cohort.programme, max_size_mb=120)

    call_command("proxy_config", "--server-name", "sandbox.example.kz")

    output = capsys.readouterr().out
    assert "    client_max_body_size 121m;\n" in output
    assert "    server_name sandbox.example.kz;\n" in output
    assert "# Largest document limit: 120 MB (+1 MB for the form around the file).\n" in output
    assert "proxy_request_buffering off;" in output


def test_proxy_config_without_requirements_uses_the_default_limit(capsys, settings):
    settings.DOCUMENT_DEFAULT_MAX_MB = 20
    call_command("proxy_config")
    assert "client_max_body_size 21m;" in capsys.readouterr().out
