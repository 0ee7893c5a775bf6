import pytest
from django.core.cache import cache
from django.utils import translation

from tests import factories


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Files in a fresh folder, counters (rate limits) reset, English, for every test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }
    settings.FILE_UPLOAD_TEMP_DIR = None
    cache.clear()
    # A request in another language leaves that language active in this thread; start each test
    # in English whatever ran before.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
    cache.clear()


@pytest.fixture
def applicant(db):
    return factories.ApplicantFactory()


@pytest.fixture
def co_member(applicant):
    return factories.ApplicantFactory(
        organisation=applicant.organisation, is_organisation_admin=False
    )


@pytest.fixture
def other_applicant(db):
    return factories.ApplicantFactory()


@pytest.fixture
def reviewer(db):
    return factories.ReviewerFactory()


@pytest.fixture
def programme_admin(db):
    return factories.ProgrammeAdminFactory()


@pytest.fixture
def cohort(db):
    return factories.CohortFactory()


@pytest.fixture
def draft(applicant, cohort):
    """A draft by `applicant` with all answers; no documents yet."""
    return factories.ApplicationFactory(
        organisation=applicant.organisation, cohort=cohort, created_by=applicant
    )


@pytest.fixture
def ready_draft(draft):
    """A draft that only needs its declarations accepted to be submitted: one mandatory
    document, uploaded and clean."""
    requirement = factories.DocumentRequirementFactory(programme=draft.cohort.programme)
    document = factories.DocumentFactory(application=draft, requirement=requirement)
    factories.DocumentVersionFactory(document=document)
    return draft


def login(client, user):
    client.force_login(user)
    return client
