"""HashingUploadHandler: streams to a temporary file, hashes on the way, keeps nothing past the limit."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse

from applications.models import DocumentVersion
from applications.uploads import HashingUploadHandler
from tests import factories
from tests.applications.test_validators import PDF, pdf_of_size

LIMIT = 1024 * 1024  # the smallest limit a requirement can have: 1 MB


@pytest.fixture
def temp_dir(settings, tmp_path):
    """Django's temporary upload folder, watched: a refused file must not stay in it."""
    folder = tmp_path / "upload-tmp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.fixture
def stored_files(tmp_path):
    """Every file in the storage folder (conftest points default storage at tmp_path/uploads)."""
    return lambda: sorted(path for path in (tmp_path / "uploads").rglob("*") if path.is_file())


def parsed(rf, files: dict, max_bytes: int):
    request = rf.post("/upload/", files)
    handler = HashingUploadHandler(request, max_bytes=max_bytes)
    request.upload_handlers = [handler]
    return request, handler


def test_handler_exactly_the_limit_is_kept_with_its_sha256(rf, temp_dir):
    content = pdf_of_size(5000)
    request, handler = parsed(rf, {"file": SimpleUploadedFile("plan.pdf", content)}, max_bytes=5000)
    upload = request.FILES["file"]
    assert handler.refused is False
    assert isinstance(upload, TemporaryUploadedFile)  # on disk, never in memory
    assert upload.size == 5000
    assert upload.sha256 == hashlib.sha256(content).hexdigest()
    assert upload.read() == content
    request.close()
    assert list(temp_dir.iterdir()) == []


def test_handler_one_byte_over_the_limit_keeps_nothing(rf, temp_dir):
    request, handler = parsed(
        rf, {"title": "x", "file": SimpleUploadedFile("plan.pdf", pdf_of_size(5001))}, 5000
    )
    assert dict(request.FILES) == {}
    assert handler.exceeded is True
    assert handler.refused is True
    assert (
        request.POST["title"] == "x"
    )  # fields before the file are still read (the CSRF token is one)
    assert list(temp_dir.iterdir()) == []


def test_handler_a_second_file_refuses_both(rf, temp_dir):
    files = {
        "file": [
            SimpleUploadedFile("a.pdf", PDF),
            SimpleUploadedFile("b.pdf", PDF),
        ]
    }
    request, handler = parsed(rf, files, max_bytes=5000)
    request.FILES  # noqa: B018 -- parse
    assert handler.too_many_files is True
    assert handler.exceeded is False
    assert list(temp_dir.iterdir()) == []


@pytest.fixture
def slot(draft):
    return factories.DocumentRequirementFactory(programme=draft.cohort.programme, max_size_mb=1)


def upload_url(draft, slot) -> str:
    return reverse(
        "applications:document-upload", kwargs={"pk": draft.pk, "requirement_id": slot.pk}
    )


def test_upload_view_one_byte_over_the_limit_stores_nothing(
    client, applicant, draft, slot, temp_dir, stored_files
):
    client.force_login(applicant)
    response = client.post(
        upload_url(draft, slot),
        {"file": SimpleUploadedFile("plan.pdf", pdf_of_size(LIMIT + 1))},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "The file is larger than the 1 MB limit for this document."
    ]
    assert stored_files() == []
    assert list(temp_dir.iterdir()) == []
    assert DocumentVersion.objects.count() == 0
    assert draft.documents.count() == 0


def test_upload_view_exactly_the_limit_is_stored_with_its_sha256(
    client, applicant, draft, slot, temp_dir, stored_files
):
    content = pdf_of_size(LIMIT)
    client.force_login(applicant)
    client.post(upload_url(draft, slot), {"file": SimpleUploadedFile("plan.pdf", content)})
    version = DocumentVersion.objects.get()
    assert (version.size, version.sha256) == (LIMIT, hashlib.sha256(content).hexdigest())
    assert [path.name for path in stored_files()] == [
        version.storage_key.removeprefix("documents/")
    ]
    assert stored_files()[0].read_bytes() == content
    assert list(temp_dir.iterdir()) == []  # moved into storage, not copied


def test_upload_view_two_files_store_nothing(
    client, applicant, draft, slot, temp_dir, stored_files
):
    client.force_login(applicant)
    files = [
        SimpleUploadedFile("a.pdf", PDF),
        SimpleUploadedFile("b.pdf", PDF),
    ]
    response = client.post(upload_url(draft, slot), {"file": files}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Upload one file at a time."]
    assert stored_files() == []
    assert list(temp_dir.iterdir()) == []
    assert DocumentVersion.objects.count() == 0
