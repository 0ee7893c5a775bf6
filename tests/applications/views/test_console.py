"""Programme admin console pages: the programme list, programme and cohort screens."""

from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState, EventKind
from applications.forms.programmes import CRITERION_HELPER  # noqa: F401 - the layout must import
from applications.models import AuditEvent, Cohort, Criterion, DocumentRequirement, Programme
from applications.services import programmes as programme_services
from tests import factories

pytestmark = pytest.mark.django_db

HOME = reverse("console:home")
S = ApplicationState


def programme_data(programme=None, **changes):
    programme = programme or factories.ProgrammeFactory.build(code="afsa-lab")
    data = model_to_dict(programme, exclude=["id"])
    data = {key: value for key, value in data.items() if value is not False}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def formset_data(rows, fields, initial=0):
    """POST data for a model formset: `rows` are dicts of values, with "id" for existing rows."""
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(initial),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name in ("id", "DELETE", *fields):
            value = row.get(name)
            if value is None or value is False:
                continue
            data[f"form-{index}-{name}"] = "on" if value is True else str(value)
    return data


def criterion_values(criterion):
    return {
        "id": criterion.pk,
        **model_to_dict(criterion, fields=programme_services.CRITERION_FIELDS),
    }


# --- The programme list -----------------------------------------------------------------------


def test_home_lists_programmes_with_cohort_phases_and_counts(client, programme_admin):
    now = timezone.now()
    programme = factories.ProgrammeFactory(name_en="NBK digital assets")
    open_cohort = factories.CohortFactory(programme=programme, name="2026-2")
    factories.CohortFactory(
        programme=programme, name="2027-1", opens_at=now + timedelta(days=20), closes_at=None
    )
    factories.SubmittedApplicationFactory.create_batch(2, cohort=open_cohort, state=S.SCREENING)
    factories.ApplicationFactory(cohort=open_cohort)
    client.force_login(programme_admin)

    response = client.get(HOME)

    assert response.status_code == 200
    (shown,) = response.context["programmes"]
    assert [(c.name, c.current_phase, c.total) for c in shown.cohorts.all()] == [
        ("2027-1", "upcoming", 0),
        ("2026-2", "open", 3),
    ]
    content = response.content.decode()
    assert (
        '<span class="badge state-badge state-screening" data-state="screening">Completeness screening: 2</span>'
        in content
    )
    assert (
        '<span class="badge state-badge state-draft" data-state="draft">Draft: 1</span>' in content
    )
    assert (
        '<span class="badge phase-badge phase-upcoming" data-phase="upcoming">Upcoming</span>'
        in content
    )
    detail = reverse("console:programme-detail", kwargs={"pk": programme.pk})
    assert f'<a href="{detail}">NBK digital assets</a>' in content


@pytest.mark.parametrize("rows", [1, 8])
def test_home_query_count_is_constant(client, programme_admin, django_assert_num_queries, rows):
    for _number in range(rows):
        programme = factories.ProgrammeFactory()
        for _cohort in range(2):
            cohort = factories.CohortFactory(programme=programme)
            factories.SubmittedApplicationFactory(cohort=cohort, state=S.EVALUATION)
    client.force_login(programme_admin)

    # user, TOTP check, page count, programmes, their cohorts, counts per cohort and state
    with django_assert_num_queries(6):
        response = client.get(HOME)

    assert len(response.context["programmes"]) == rows
    assert all(c.total == 1 for p in response.context["programmes"] for c in p.cohorts.all())


def test_home_without_programmes_says_so(client, programme_admin):
    client.force_login(programme_admin)

    response = client.get(HOME)

    assert (
        '<p class="alert alert-info" id="empty-list">No programmes yet. Create the first one.</p>'
        in response.content.decode()
    )


# --- Programmes -------------------------------------------------------------------------------


def test_create_programme_through_the_form(client, programme_admin):
    client.force_login(programme_admin)

    response = client.post(
        reverse("console:programme-create"),
        programme_data(code="afsa-lab", name_en="AFSA FinTech Lab", blind_review=True),
    )

    programme = Programme.objects.get(code="afsa-lab")
    assert response.status_code == 302
    assert response["Location"] == reverse("console:programme-detail", kwargs={"pk": programme.pk})
    assert programme.blind_review is True
    assert AuditEvent.objects.get(kind=EventKind.PROGRAMME_CREATED).actor == programme_admin


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"max_test_months": 30}, "max_test_months", "At most 24 months."),
        ({"default_test_months": 20, "max_test_months": 12}, "default_test_months", "Between 1 month and the longest testing period."),
        ({"max_extensions": 2}, "max_extensions", "At most one extension."),
        ({"max_extension_months": 9}, "max_extension_months", "At most 6 months."),
        ({"reviews_required": 0}, "reviews_required", "Between 1 and 10 reviews."),
        ({"screening_days": 0}, "screening_days", "Between 1 and 250 working days."),
    ],
)  # fmt: skip
def test_programme_form_refuses_settings_out_of_bounds(
    client, programme_admin, changes, field, message
):
    client.force_login(programme_admin)

    response = client.post(reverse("console:programme-create"), programme_data(**changes))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Programme.objects.exists()


def test_edit_programme_saves_and_audits(client, programme_admin):
    programme = factories.ProgrammeFactory(reviews_required=2)
    client.force_login(programme_admin)
    url = reverse("console:programme-edit", kwargs={"pk": programme.pk})

    assert client.get(url).context["form"].initial["code"] == programme.code
    response = client.post(url, programme_data(programme, reviews_required=3))

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.reviews_required == 3
    event = AuditEvent.objects.get(kind=EventKind.PROGRAMME_UPDATED)
    assert event.data == {"before": {"reviews_required": 2}, "after": {"reviews_required": 3}}


def test_edit_programme_without_changes_says_nothing_changed(client, programme_admin):
    programme = factories.ProgrammeFactory()
    client.force_login(programme_admin)

    response = client.post(
        reverse("console:programme-edit", kwargs={"pk": programme.pk}),
        programme_data(programme),
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == ["Nothing changed."]
    assert not AuditEvent.objects.exists()


def test_programme_detail_shows_settings_rows_cohorts_and_versions(client, programme_admin):
    programme = factories.ProgrammeFactory()
    factories.CriterionFactory(programme=programme, code="SCOPE", weight=0, is_gate=True)
    factories.CriterionFactory(programme=programme, code="INNOV", weight=60)
    factories.CriterionFactory(
        programme=programme, code="OLD", weight=99, retired_at=timezone.now()
    )
    factories.DocumentRequirementFactory(programme=programme, name_en="Charter", max_size_mb=20)
    cohort = factories.CohortFactory(programme=programme)
    programme_services.version_for_submission(programme_id=programme.pk)
    client.force_login(programme_admin)

    response = client.get(reverse("console:programme-detail", kwargs={"pk": programme.pk}))

    assert [c.code for c in response.context["criteria"]] == ["SCOPE", "INNOV"]
    assert response.context["weight_total"] == 60
    assert [r.name_en for r in response.context["requirements"]] == ["Charter"]
    assert response.context["cohorts"] == [cohort]
    (version,) = response.context["versions"]
    assert (version.number, version.criteria_count, version.requirement_count) == (1, 2, 1)
    assert '<td id="weight-total">60</td>' in response.content.decode()


def test_programme_detail_of_a_missing_programme_is_404(client, programme_admin):
    client.force_login(programme_admin)

    assert client.get(reverse("console:programme-detail", kwargs={"pk": 999})).status_code == 404


def test_criteria_formset_edits_adds_and_deletes(client, programme_admin):
    programme = factories.ProgrammeFactory()
    keep = factories.CriterionFactory(programme=programme, code="INNOV", weight=10)
    drop = factories.CriterionFactory(programme=programme, code="DROP")
    client.force_login(programme_admin)
    url = reverse("console:programme-criteria", kwargs={"pk": programme.pk})
    assert len(client.get(url).context["formset"].forms) == 3  # two rows and an empty one

    rows = [
        {**criterion_values(keep), "weight": 40, "guidance_kk": "Жаңалық"},
        {**criterion_values(drop), "DELETE": True},
        {"code": "fit", "name_en": "Fit and proper", "weight": 0, "is_gate": True, "position": 3},
    ]
    response = client.post(url, formset_data(rows, programme_services.CRITERION_FIELDS, initial=2))

    assert response.status_code == 302
    assert list(
        Criterion.objects.filter(programme=programme).values_list("code", "weight", "is_gate")
    ) == [("INNOV", 40, False), ("FIT", 0, True)]
    assert Criterion.objects.get(code="INNOV").guidance_kk == "Жаңалық"
    event = AuditEvent.objects.get(kind=EventKind.CRITERIA_CHANGED)
    assert [change["code"] for change in event.data["changes"]] == ["INNOV", "DROP", "FIT"]


def test_criteria_formset_refuses_duplicate_codes(client, programme_admin):
    programme = factories.ProgrammeFactory()
    existing = factories.CriterionFactory(programme=programme, code="RISK")
    client.force_login(programme_admin)

    rows = [
        criterion_values(existing),
        {"code": "risk", "name_en": "Again", "weight": 5, "position": 2},
    ]
    response = client.post(
        reverse("console:programme-criteria", kwargs={"pk": programme.pk}),
        formset_data(rows, programme_services.CRITERION_FIELDS, initial=1),
    )

    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == ["Two rows have the code “RISK”."]
    assert Criterion.objects.count() == 1


def test_criteria_formset_refuses_scored_criteria_without_weight(client, programme_admin):
    programme = factories.ProgrammeFactory()
    client.force_login(programme_admin)

    rows = [{"code": "A", "name_en": "A", "weight": 0, "position": 1}]
    response = client.post(
        reverse("console:programme-criteria", kwargs={"pk": programme.pk}),
        formset_data(rows, programme_services.CRITERION_FIELDS),
    )

    assert response.context["formset"].non_form_errors() == [
        "The scored criteria need weights that add up to more than 0."
    ]


def test_requirements_formset_normalises_types_and_refuses_unknown_ones(client, programme_admin):
    programme = factories.ProgrammeFactory()
    client.force_login(programme_admin)
    url = reverse("console:programme-requirements", kwargs={"pk": programme.pk})
    fields = programme_services.REQUIREMENT_FIELDS
    row = {"code": "Charter", "name_en": "Charter", "stage": "application", "mandatory": True,
           "max_size_mb": 10, "position": 1}  # fmt: skip

    refused = client.post(url, formset_data([{**row, "allowed_extensions": "pdf, exe"}], fields))
    empty = client.post(url, formset_data([{**row, "allowed_extensions": " , ."}], fields))
    saved = client.post(
        url, formset_data([{**row, "allowed_extensions": ".PDF, docx pdf"}], fields)
    )

    assert refused.context["formset"].forms[0].errors["allowed_extensions"] == [
        "The portal cannot check these file types: exe. Choose from pdf, docx, xlsx, png, jpg, jpeg."
    ]
    assert empty.context["formset"].forms[0].errors["allowed_extensions"] == [
        "Name at least one file type."
    ]
    assert saved.status_code == 302
    requirement = DocumentRequirement.objects.get()
    assert (requirement.code, requirement.allowed_extensions, requirement.max_size_mb) == (
        "charter", "pdf,docx", 10,
    )  # fmt: skip


def test_requirements_formset_refuses_a_size_over_the_limit(client, programme_admin):
    programme = factories.ProgrammeFactory()
    client.force_login(programme_admin)
    row = {"code": "plan", "name_en": "Plan", "stage": "application", "allowed_extensions": "pdf",
           "max_size_mb": 501, "position": 1}  # fmt: skip

    response = client.post(
        reverse("console:programme-requirements", kwargs={"pk": programme.pk}),
        formset_data([row], programme_services.REQUIREMENT_FIELDS),
    )

    assert response.context["formset"].forms[0].errors["max_size_mb"] == [
        "Ensure this value is less than or equal to 500."
    ]
    assert not DocumentRequirement.objects.exists()


# --- Cohorts ----------------------------------------------------------------------------------


def cohort_data(**changes):
    now = timezone.localtime()
    data = {
        "name": "2027-1",
        "zone_tag": "CryptoCity / Alatau",
        "kind": "window",
        "opens_at": (now + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=65)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "12",
    }
    data.update(changes)
    return data


def test_create_cohort_through_the_form_with_a_panel(client, programme_admin, reviewer):
    programme = factories.ProgrammeFactory()
    factories.ReviewerFactory(is_active=False)  # not offered
    client.force_login(programme_admin)
    url = reverse("console:cohort-create", kwargs={"pk": programme.pk})

    offered = list(client.get(url).context["form"].fields["panel"].queryset)
    response = client.post(url, cohort_data(panel=[reviewer.pk]))

    assert offered == [reviewer]
    cohort = Cohort.objects.get()
    assert response["Location"] == reverse("console:cohort-detail", kwargs={"pk": cohort.pk})
    assert (cohort.name, cohort.capacity, cohort.zone_tag) == ("2027-1", 12, "CryptoCity / Alatau")
    assert list(cohort.panel.all()) == [reviewer]


def test_rolling_cohort_has_no_closing_time(client, programme_admin):
    programme = factories.ProgrammeFactory()
    client.force_login(programme_admin)

    client.post(
        reverse("console:cohort-create", kwargs={"pk": programme.pk}), cohort_data(kind="rolling")
    )

    assert Cohort.objects.get().closes_at is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"closes_at": ""}, "A window needs a closing time."),
        ({"closes_at": "2020-01-01T10:00"}, "A cohort must close after it opens."),
    ],
)
def test_cohort_form_refuses_a_bad_window(client, programme_admin, changes, message):
    programme = factories.ProgrammeFactory()
    client.force_login(programme_admin)

    response = client.post(
        reverse("console:cohort-create", kwargs={"pk": programme.pk}), cohort_data(**changes)
    )

    assert response.context["form"].errors["closes_at"] == [message]
    assert not Cohort.objects.exists()


def test_cohort_form_shows_a_taken_name(client, programme_admin, cohort):
    client.force_login(programme_admin)

    response = client.post(
        reverse("console:cohort-create", kwargs={"pk": cohort.programme_id}),
        cohort_data(name=cohort.name),
    )

    assert response.context["form"].non_field_errors() == [
        "This programme already has a cohort of that name."
    ]


def test_edit_cohort_changes_capacity_and_panel(client, programme_admin, cohort, reviewer):
    client.force_login(programme_admin)
    url = reverse("console:cohort-edit", kwargs={"pk": cohort.pk})
    initial = client.get(url).context["form"].initial
    assert initial["kind"] == "window"

    response = client.post(
        url,
        cohort_data(
            name=cohort.name,
            zone_tag="",
            opens_at=timezone.localtime(cohort.opens_at).strftime("%Y-%m-%dT%H:%M"),
            closes_at=timezone.localtime(cohort.closes_at).strftime("%Y-%m-%dT%H:%M"),
            capacity="40",
            panel=[reviewer.pk],
        ),
    )

    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.capacity == 40
    assert list(cohort.panel.all()) == [reviewer]
    event = AuditEvent.objects.get(kind=EventKind.COHORT_UPDATED)
    assert "panel" in event.data["after"]


def test_cohort_detail_offers_close_now_when_open(client, programme_admin, cohort, reviewer):
    cohort.panel.add(reviewer)
    factories.SubmittedApplicationFactory(cohort=cohort, state=S.SCREENING)
    client.force_login(programme_admin)

    response = client.get(reverse("console:cohort-detail", kwargs={"pk": cohort.pk}))

    assert response.context["is_open"] is True
    assert response.context["panel"] == [reviewer]
    content = response.content.decode()
    assert f'action="{reverse("console:cohort-close", kwargs={"pk": cohort.pk})}"' in content
    assert "Completeness screening: 1" in content


def test_close_now_needs_confirmation_then_closes(client, programme_admin, cohort):
    client.force_login(programme_admin)
    url = reverse("console:cohort-close", kwargs={"pk": cohort.pk})

    unconfirmed = client.post(url, {}, follow=True)
    assert [str(m) for m in unconfirmed.context["messages"]] == ["Tick the box to confirm."]
    assert Cohort.objects.get(pk=cohort.pk).is_open()

    confirmed = client.post(url, {"confirm": "on"}, follow=True)
    assert [str(m) for m in confirmed.context["messages"]] == [
        "The cohort is closed to new submissions."
    ]
    assert not Cohort.objects.get(pk=cohort.pk).is_open()
    assert AuditEvent.objects.filter(kind=EventKind.COHORT_CLOSED, actor=programme_admin).exists()
    again = client.post(url, {"confirm": "on"}, follow=True)
    assert [str(m) for m in again.context["messages"]] == [
        "This cohort is not open, so it cannot be closed."
    ]


def test_open_now_from_the_cohort_page(client, programme_admin):
    cohort = factories.CohortFactory(opens_at=timezone.now() + timedelta(days=3))
    client.force_login(programme_admin)
    page = client.get(reverse("console:cohort-detail", kwargs={"pk": cohort.pk}))
    assert page.context["is_open"] is False
    assert page.context["action_form"].initial == {"closes_at": cohort.closes_at}
    url = reverse("console:cohort-open", kwargs={"pk": cohort.pk})

    past = client.post(url, {"confirm": "on", "closes_at": "2020-01-01T00:00"}, follow=True)
    assert [str(m) for m in past.context["messages"]] == [
        "The new closing time must be in the future."
    ]
    response = client.post(url, {"confirm": "on"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["The cohort is open to applications."]
    assert Cohort.objects.get(pk=cohort.pk).is_open()


def test_open_and_close_refuse_get(client, programme_admin, cohort):
    client.force_login(programme_admin)

    assert client.get(reverse("console:cohort-open", kwargs={"pk": cohort.pk})).status_code == 405
    assert client.get(reverse("console:cohort-close", kwargs={"pk": cohort.pk})).status_code == 405
