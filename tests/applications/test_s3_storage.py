"""The S3 path, against moto's server mode on 127.0.0.1 (a real HTTP endpoint, as MinIO would be)."""

import socket

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from applications.models import DocumentVersion
from tests import factories
from tests.applications.corpus import _open_action_js, pdf_with
from tests.applications.test_validators import PDF

BUCKET = "sandbox-portal-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    credentials = {"aws_access_key_id": "portal", "aws_secret_access_key": "portal-secret"}
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **credentials)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "access_key": "portal",
                "secret_key": "portal-secret",
                "region_name": "us-east-1",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


@pytest.fixture
def slot(draft):
    return factories.DocumentRequirementFactory(programme=draft.cohort.programme)


def upload_url(draft, slot):
    return reverse(
        "applications:document-upload", kwargs={"pk": draft.pk, "requirement_id": slot.pk}
    )


def test_s3_upload_is_stored_under_its_random_key_downloaded_and_verified(
    bucket, client, applicant, draft, slot, capsys, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):  # the scan: structural checks only
        client.post(upload_url(draft, slot), {"file": SimpleUploadedFile("plan.pdf", PDF)})

    version = DocumentVersion.objects.get()
    assert keys(bucket) == [version.storage_key]
    assert bucket.get_object(Bucket=BUCKET, Key=version.storage_key)["Body"].read() == PDF

    response = client.get(reverse("applications:document-download", args=[version.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == (
        "attachment; filename=\"plan.pdf\"; filename*=UTF-8''plan.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"

    call_command("verify_documents")
    assert capsys.readouterr().out == "All 1 stored document versions match.\n"


def test_s3_refused_upload_leaves_the_bucket_empty(bucket, client, applicant, draft, slot):
    client.force_login(applicant)
    content = pdf_with(_open_action_js)
    response = client.post(
        upload_url(draft, slot), {"file": SimpleUploadedFile("plan.pdf", content)}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "“plan.pdf” contains JavaScript. Save or print it as a plain PDF without scripts."
    ]
    assert keys(bucket) == []
    assert DocumentVersion.objects.count() == 0


def test_s3_missing_object_is_reported_by_verify_documents(bucket, client, applicant, draft, slot):
    client.force_login(applicant)
    client.post(upload_url(draft, slot), {"file": SimpleUploadedFile("plan.pdf", PDF)})
    version = DocumentVersion.objects.get()
    bucket.delete_object(Bucket=BUCKET, Key=version.storage_key)

    with pytest.raises(CommandError, match="1 missing and 0 changed of 1"):
        call_command("verify_documents")
