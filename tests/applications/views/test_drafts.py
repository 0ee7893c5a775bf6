import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from applications.enums import EventKind
from applications.models import Application, AuditEvent, DraftRevision
from applications.services.drafts import save_draft
from applications.steps import STEP_BY_SLUG, STEPS
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


def step_url(application, slug):
    return reverse("applications:application-step", args=[application.pk, slug])


def reload(application):
    # The FSM state field is protected, so refresh_from_db() cannot be used.
    return Application.objects.get(pk=application.pk)


def browser_value(value):
    """What a browser sends for a value shown in a form."""
    if value is None:
        return ""
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value)


def form_data(application, slug, action="save", **changes):
    """The POST a browser sends from the step page as rendered at the application's current
    revision, with `changes` typed in: answers plus their hidden "as saved" copies."""
    data = {"base_revision": str(application.revision), "action": action}
    for name in STEP_BY_SLUG[slug].fields:
        value = getattr(application, name)
        if isinstance(value, bool):
            data[f"initial-{name}"] = str(value)
            if changes.get(name, value):
                data[name] = "on"
            changes.pop(name, None)
            continue
        data[name] = data[f"initial-{name}"] = browser_value(value)
    data.update(changes)
    return data


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def co_member(applicant):
    return factories.ApplicantFactory(
        organisation=applicant.organisation,
        is_organisation_admin=False,
        full_name="Aigerim Sadykova",
    )


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant)
    return client


# --- Showing a step ----------------------------------------------------------------------------


@pytest.mark.parametrize("step", STEPS, ids=[step.slug for step in STEPS])
def test_step_page_shows_its_fields_only(applicant_client, draft, step):
    response = applicant_client.get(step_url(draft, step.slug))

    content = response.content.decode()
    assert response.status_code == 200
    assert f"Step {STEPS.index(step) + 1} of {len(STEPS)}: {step.title}" in content
    for name in step.fields:
        assert f'name="{name}"' in content
        assert f'name="initial-{name}"' in content
    others = {name for other in STEPS if other is not step for name in other.fields}
    assert not {name for name in others if f'name="{name}"' in content}
    assert '<input type="hidden" name="base_revision" value="0"' in content


def test_step_page_test_plan_has_fitting_widgets(applicant_client, draft):
    response = applicant_client.get(step_url(draft, "test-plan"))

    content = response.content.decode()
    assert re.search(r'<input type="date" name="proposed_start" value="2027-03-01"', content)
    assert re.search(
        r'type="checkbox"[^>]*name="client_types" value="retail_individual"[^>]*checked', content
    )
    assert re.search(
        r'type="checkbox"[^>]*name="client_types" value="professional"  id="id_client_types_2">',
        content,
    )
    assert re.search(
        r'name="proposed_duration_months" value="12"[^>]*min="1"[^>]*max="24"', content
    )
    assert re.search(r'<textarea name="test_objectives" cols="40" rows="5"', content)
    assert 'name="max_per_client_amount" value="1000" inputmode="decimal"' in content
    assert '<input type="hidden" name="initial-max_aggregate_amount" value="200000"' in content


def test_step_page_navigation_ticks_complete_steps_and_links_onwards(
    applicant_client, applicant, cohort
):
    application = factories.ApplicationFactory(
        organisation=applicant.organisation,
        cohort=cohort,
        created_by=applicant,
        consumer_benefit="",
    )

    response = applicant_client.get(step_url(application, "activity"))

    content = response.content.decode()
    nav = content[
        content.index('id="step-nav"') : content.index("</nav>", content.index('id="step-nav"'))
    ]
    assert nav.count("data-step-complete") == len(STEPS) - 1
    benefit = nav[nav.index("3. Consumer benefit") : nav.index("4. Need for the sandbox")]
    assert "not complete" in benefit
    assert reverse("applications:document-list", args=[application.pk]) in nav
    assert reverse("applications:application-submit", args=[application.pk]) in nav
    assert 'aria-current="step"' in nav[: nav.index("1. Activity and product") + 200]


# --- Saving without JavaScript -----------------------------------------------------------------


def test_step_post_saves_changed_answers_and_stays(applicant_client, applicant, draft):
    data = form_data(draft, "activity", summary="A KZT stablecoin for remittances to Uzbekistan.")

    response = applicant_client.post(step_url(draft, "activity"), data)

    assert response.status_code == 302
    assert response.url == step_url(draft, "activity")
    assert messages_of(response) == ["Your answers are saved."]
    draft = reload(draft)
    assert (draft.summary, draft.revision) == ("A KZT stablecoin for remittances to Uzbekistan.", 1)
    revision = DraftRevision.objects.get()
    assert (revision.fields, revision.saved_by) == (["summary"], applicant)


def test_step_post_save_and_continue_goes_to_next_step(applicant_client, draft):
    data = form_data(draft, "benefit", action="continue", consumer_benefit="Cheaper transfers.")

    response = applicant_client.post(step_url(draft, "benefit"), data)

    assert response.url == step_url(draft, "need")
    assert reload(draft).consumer_benefit == "Cheaper transfers."


def test_step_post_save_and_continue_on_last_step_goes_to_documents(applicant_client, draft):
    response = applicant_client.post(
        step_url(draft, "aml"), form_data(draft, "aml", action="continue")
    )

    assert response.url == reverse("applications:document-list", args=[draft.pk])
    assert reload(draft).revision == 0


def test_step_post_accepts_blank_answers_in_a_draft(applicant_client, draft):
    data = form_data(
        draft, "test-plan", max_clients="", proposed_start="", client_types=[], geography=""
    )

    applicant_client.post(step_url(draft, "test-plan"), data)

    draft = reload(draft)
    assert (draft.max_clients, draft.proposed_start, draft.client_types, draft.geography) == (
        None,
        None,
        [],
        "",
    )
    assert DraftRevision.objects.get().fields == [
        "client_types",
        "geography",
        "max_clients",
        "proposed_start",
    ]


def test_step_post_typed_values_are_stored(applicant_client, draft):
    data = form_data(
        draft,
        "test-plan",
        proposed_start="2027-05-15",
        max_per_client_amount="2500.50",
        client_types=["retail_individual", "professional"],
    )

    applicant_client.post(step_url(draft, "test-plan"), data)

    draft = reload(draft)
    assert draft.proposed_start.isoformat() == "2027-05-15"
    assert draft.max_per_client_amount == Decimal("2500.50")
    assert draft.client_types == ["retail_individual", "professional"]


def test_step_post_checkbox_answer_can_be_set_and_cleared(applicant_client, draft):
    url = step_url(draft, "readiness")
    applicant_client.post(
        url,
        form_data(draft, "readiness", regulated_elsewhere=True, regulated_elsewhere_details="AFSA"),
    )
    ticked = reload(draft)

    applicant_client.post(url, form_data(ticked, "readiness", regulated_elsewhere=False))

    cleared = reload(draft)
    assert (ticked.regulated_elsewhere, ticked.regulated_elsewhere_details) == (True, "AFSA")
    assert (cleared.regulated_elsewhere, cleared.revision) == (False, 2)
    assert DraftRevision.objects.get(number=2).fields == ["regulated_elsewhere"]


def test_step_post_stores_text_with_plain_newlines(applicant_client, draft):
    applicant_client.post(
        step_url(draft, "benefit"), form_data(draft, "benefit", consumer_benefit="Fees\r\nSpeed")
    )

    assert reload(draft).consumer_benefit == "Fees\nSpeed"


def test_step_post_invalid_decimal_shows_error_and_saves_nothing(applicant_client, draft):
    data = form_data(draft, "test-plan", max_per_client_amount="1 000 USD", geography="Almaty only")

    response = applicant_client.post(step_url(draft, "test-plan"), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert re.search(
        r'id="error_1_id_max_per_client_amount"[^>]*>\s*<strong>Enter a number.</strong>', content
    )
    assert 'value="1 000 USD"' in content
    assert "Almaty only" in content
    draft = reload(draft)
    assert (draft.geography, draft.revision) == ("Astana and Almaty", 0)
    assert not DraftRevision.objects.exists()


def test_step_post_aggregate_below_per_client_limit_is_refused(applicant_client, draft):
    data = form_data(
        draft, "test-plan", max_per_client_amount="5000", max_aggregate_amount="4999.99"
    )

    response = applicant_client.post(step_url(draft, "test-plan"), data)

    assert "The aggregate limit must be at least the limit per client." in response.content.decode()
    draft = reload(draft)
    assert (draft.max_per_client_amount, draft.max_aggregate_amount) == (
        Decimal("1000"),
        Decimal("200000"),
    )


@pytest.mark.parametrize("months", ["0", "25"])
def test_step_post_duration_outside_programme_range_is_refused(applicant_client, draft, months):
    response = applicant_client.post(
        step_url(draft, "test-plan"), form_data(draft, "test-plan", proposed_duration_months=months)
    )

    assert "The test can last from 1 to 24 months." in response.content.decode()
    assert reload(draft).proposed_duration_months == 12


def test_step_post_duration_limit_follows_the_programme(applicant_client, draft):
    programme = draft.cohort.programme
    programme.max_test_months = 18
    programme.save(update_fields=["max_test_months"])

    response = applicant_client.post(
        step_url(draft, "test-plan"), form_data(draft, "test-plan", proposed_duration_months="19")
    )

    assert "The test can last from 1 to 18 months." in response.content.decode()


def test_step_post_invalid_choice_is_refused(applicant_client, draft):
    response = applicant_client.post(
        step_url(draft, "test-plan"), form_data(draft, "test-plan", client_types=["everyone"])
    )

    assert (
        "Select a valid choice. everyone is not one of the available choices."
        in response.content.decode()
    )
    assert reload(draft).client_types == ["retail_individual"]


# --- Autosave with htmx -------------------------------------------------------------------------


def test_step_autosave_returns_status_with_new_revision(applicant_client, draft):
    data = form_data(draft, "benefit", consumer_benefit="Fees under 1%.")

    response = applicant_client.post(step_url(draft, "benefit"), data, **HTMX)

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert re.search(
        r'<div id="save-status"[^>]*>\s*<span class="text-success">.*Saved at \d\d:\d\d</span>',
        content,
        re.S,
    )
    assert '<div id="draft-baseline" hx-swap-oob="true">' in content
    assert '<input type="hidden" name="base_revision" value="1"' in content
    assert '<input type="hidden" name="initial-consumer_benefit" value="Fees under 1%."' in content
    assert '<nav id="step-nav" class="step-nav" hx-swap-oob="true"' in content
    assert reload(draft).consumer_benefit == "Fees under 1%."
    assert not messages_of(response)


def test_step_successive_autosaves_of_one_answer_do_not_conflict(applicant_client, draft):
    url = step_url(draft, "benefit")
    applicant_client.post(url, form_data(draft, "benefit", consumer_benefit="Fees"), **HTMX)
    after_first = reload(draft)

    # The browser now holds what the first autosave swapped in: revision 1, "Fees" as saved.
    response = applicant_client.post(
        url, form_data(after_first, "benefit", consumer_benefit="Fees under 1%"), **HTMX
    )

    assert "Saved at" in response.content.decode()
    draft = reload(draft)
    assert (draft.consumer_benefit, draft.revision) == ("Fees under 1%", 2)


def test_step_autosave_of_client_types_moves_the_browser_to_the_new_revision(
    applicant_client, draft
):
    data = form_data(draft, "test-plan", client_types=["professional", "retail_individual"])

    response = applicant_client.post(step_url(draft, "test-plan"), data, **HTMX)

    content = response.content.decode()
    assert '<input type="hidden" name="base_revision" value="1"' in content
    assert '<input type="hidden" name="initial-client_types" value="professional"' in content
    assert reload(draft).client_types == ["professional", "retail_individual"]


def test_step_autosave_invalid_input_reports_without_saving(applicant_client, draft):
    data = form_data(draft, "test-plan", max_per_client_amount="lots")

    response = applicant_client.post(step_url(draft, "test-plan"), data, **HTMX)

    content = response.content.decode()
    assert "Not saved: please correct these answers." in content
    assert "<li>Limit per client: Enter a number.</li>" in content
    assert "hx-swap-oob" not in content
    assert reload(draft).revision == 0


def test_step_autosave_keeps_old_revision_when_a_co_applicant_changed_this_step(
    applicant_client, co_member, draft
):
    page = form_data(draft, "activity")
    save_draft(
        actor=co_member,
        application_id=draft.pk,
        base_revision=0,
        answers={"summary": "Their summary"},
    )

    response = applicant_client.post(
        step_url(draft, "activity"), {**page, "flow_description": "My flow"}, **HTMX
    )

    content = response.content.decode()
    assert "A co-applicant has also changed answers on this step." in content
    assert step_url(draft, "activity") in content
    assert "draft-baseline" not in content
    draft = reload(draft)
    assert (draft.summary, draft.flow_description, draft.revision) == (
        "Their summary",
        "My flow",
        2,
    )


def test_step_autosave_merges_a_co_applicants_change_on_another_step(
    applicant_client, co_member, draft
):
    page = form_data(draft, "activity")
    save_draft(
        actor=co_member,
        application_id=draft.pk,
        base_revision=0,
        answers={"exit_strategy": "Theirs"},
    )

    response = applicant_client.post(
        step_url(draft, "activity"), {**page, "summary": "Mine"}, **HTMX
    )

    assert '<input type="hidden" name="base_revision" value="2"' in response.content.decode()
    draft = reload(draft)
    assert (draft.summary, draft.exit_strategy) == ("Mine", "Theirs")


def test_step_autosave_conflict_offers_comparison_and_reload(applicant_client, co_member, draft):
    page = form_data(draft, "activity")
    save_draft(
        actor=co_member,
        application_id=draft.pk,
        base_revision=0,
        answers={"summary": "Their summary"},
    )

    response = applicant_client.post(
        step_url(draft, "activity"), {**page, "summary": "My summary"}, **HTMX
    )

    content = response.content.decode()
    assert "Not saved: a co-applicant changed the same answer." in content
    assert "Aigerim Sadykova changed “summary of the product” at" in content
    assert '<button type="submit" name="action" value="save"' in content
    assert f'href="{step_url(draft, "activity")}"' in content
    assert "hx-swap-oob" not in content
    assert reload(draft).summary == "Their summary"


# --- Conflicts without JavaScript ----------------------------------------------------------------


def test_step_conflict_page_shows_both_versions_and_keeps_other_changes(
    applicant_client, co_member, draft
):
    page = form_data(draft, "activity")
    save_draft(
        actor=co_member,
        application_id=draft.pk,
        base_revision=0,
        answers={"summary": "Their summary"},
    )

    response = applicant_client.post(
        step_url(draft, "activity"),
        {**page, "summary": "My summary", "flow_description": "My flow"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Your changes were not saved" in content
    assert "Aigerim Sadykova changed “summary of the product” at" in content
    assert re.search(r'data-conflict="theirs">Their summary</div>', content)
    assert re.search(r'data-conflict="yours">My summary</div>', content)
    # The form now holds their summary, the person's untouched-by-others change, and the new revision.
    assert re.search(r'<textarea name="summary"[^>]*>\s*Their summary</textarea>', content)
    assert re.search(r'<textarea name="flow_description"[^>]*>\s*My flow</textarea>', content)
    assert '<input type="hidden" name="base_revision" value="1"' in content
    assert '<input type="hidden" name="initial-summary" value="Their summary"' in content
    draft = reload(draft)
    assert (draft.summary, draft.flow_description, draft.revision) == (
        "Their summary",
        factories.COMPLETE_ANSWERS["flow_description"],
        1,
    )


@pytest.mark.parametrize(
    ("slug", "name", "theirs", "yours", "shown"),
    [
        (
            "test-plan",
            "client_types",
            ["professional"],
            ["retail_corporate"],
            ("Professional clients", "Retail clients: companies"),
        ),
        ("test-plan", "max_per_client_amount", Decimal("1500.00"), "900", ("1500", "900")),
        ("test-plan", "limit_currency", "KZT", "EUR", ("Kazakhstani tenge (KZT)", "Euro (EUR)")),
        (
            "test-plan",
            "proposed_start",
            date(2027, 4, 1),
            "2027-06-01",
            ("April 1, 2027", "June 1, 2027"),
        ),
        ("test-plan", "max_clients", None, "300", ("<em>(empty)</em>", "300")),
        ("readiness", "regulated_elsewhere", False, True, ("No", "Yes")),
    ],
)
def test_step_conflict_page_shows_answers_as_people_read_them(
    applicant_client, co_member, draft, slug, name, theirs, yours, shown
):
    page = form_data(draft, slug, **{name: yours})  # typed into the page shown at revision 0
    if name == "regulated_elsewhere":  # they ticked it, then cleared it again
        save_draft(actor=co_member, application_id=draft.pk, base_revision=0, answers={name: True})
    base = reload(draft).revision
    save_draft(actor=co_member, application_id=draft.pk, base_revision=base, answers={name: theirs})

    response = applicant_client.post(step_url(draft, slug), page)

    content = response.content.decode()
    assert f'data-conflict="theirs">{shown[0]}</div>' in content
    assert f'data-conflict="yours">{shown[1]}</div>' in content


def test_step_unreadable_shown_value_counts_as_a_change(applicant_client, co_member, draft):
    page = form_data(draft, "test-plan")
    page["initial-proposed_start"] = "not a date"
    save_draft(
        actor=co_member,
        application_id=draft.pk,
        base_revision=0,
        answers={"proposed_start": date(2027, 9, 1)},
    )

    response = applicant_client.post(step_url(draft, "test-plan"), page)

    assert "Aigerim Sadykova changed “proposed start” at" in response.content.decode()
    assert reload(draft).proposed_start == date(2027, 9, 1)


def test_step_conflict_page_resubmitted_saves_the_merge(applicant_client, co_member, draft):
    save_draft(
        actor=co_member,
        application_id=draft.pk,
        base_revision=0,
        answers={"summary": "Their summary"},
    )
    current = reload(draft)
    # As the conflict page renders it: baseline at revision 1, the person's flow change kept.
    data = form_data(
        current, "activity", summary="Their summary, and mine", flow_description="My flow"
    )

    response = applicant_client.post(step_url(draft, "activity"), data)

    assert response.status_code == 302
    draft = reload(draft)
    assert (draft.summary, draft.flow_description, draft.revision) == (
        "Their summary, and mine",
        "My flow",
        2,
    )


# --- Who may edit what --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_step_other_organisations_application_is_404(client, other_applicant, draft, method):
    client.force_login(other_applicant)

    response = getattr(client, method)(
        step_url(draft, "activity"), form_data(draft, "activity", summary="X")
    )

    assert response.status_code == 404
    assert reload(draft).summary == factories.COMPLETE_ANSWERS["summary"]


@pytest.mark.parametrize("staff", ["reviewer", "programme_admin"])
def test_step_regulator_staff_get_404(request, client, draft, staff):
    client.force_login(request.getfixturevalue(staff))

    response = client.get(step_url(draft, "activity"))

    assert response.status_code == 404


def test_step_unknown_step_is_404(applicant_client, draft):
    assert applicant_client.get(step_url(draft, "unknown")).status_code == 404


def test_step_anonymous_is_sent_to_login(client, draft):
    response = client.get(step_url(draft, "activity"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_step_autosave_after_session_ended_sends_browser_to_login(client, draft):
    response = client.post(step_url(draft, "benefit"), form_data(draft, "benefit"), **HTMX)

    assert response.status_code == 200
    assert response.headers["HX-Redirect"].startswith(reverse("account_login") + "?next=")
    assert reload(draft).revision == 0


def test_step_only_get_and_post_are_allowed(applicant_client, draft):
    assert applicant_client.put(step_url(draft, "activity")).status_code == 405


@pytest.fixture
def submitted(applicant, cohort):
    return factories.ApplicationFactory(
        organisation=applicant.organisation,
        cohort=cohort,
        created_by=applicant,
        state="submitted",
        reference="SBX-2026-00042",
        submitted_at=timezone.now(),
    )


def test_step_submitted_application_redirects_to_detail(applicant_client, submitted):
    response = applicant_client.post(
        step_url(submitted, "activity"), form_data(submitted, "activity", summary="X")
    )

    assert response.status_code == 302
    assert response.url == reverse("applications:application-detail", args=[submitted.pk])
    assert messages_of(response) == [
        "This application is no longer a draft, so its answers cannot be changed."
    ]
    assert reload(submitted).summary == factories.COMPLETE_ANSWERS["summary"]


def test_step_submitted_application_autosave_redirects_the_browser(applicant_client, submitted):
    response = applicant_client.post(
        step_url(submitted, "activity"), form_data(submitted, "activity"), **HTMX
    )

    assert response.headers["HX-Redirect"] == reverse(
        "applications:application-detail", args=[submitted.pk]
    )


@pytest.mark.parametrize("rows", [1, 8])
def test_step_page_query_count_is_constant(
    applicant_client, co_member, draft, django_assert_num_queries, rows
):
    for number in range(1, rows + 1):
        save_draft(
            actor=co_member,
            application_id=draft.pk,
            base_revision=number - 1,
            answers={"summary": f"v{number}"},
        )
        factories.DocumentVersionFactory(document__application=draft)

    # User (session from the cache), application (with cohort, programme and organisation).
    with django_assert_num_queries(2):
        response = applicant_client.get(step_url(draft, "test-plan"))

    assert response.status_code == 200


# --- Starting an application --------------------------------------------------------------------


def start_url(cohort):
    return reverse("applications:application-start", args=[cohort.pk])


def test_start_page_shows_programme_cohort_and_title_field(applicant_client, cohort):
    response = applicant_client.get(start_url(cohort))

    content = response.content.decode()
    assert response.status_code == 200
    assert "NBK special regulatory regime: digital assets" in content
    assert cohort.name in content
    assert 'name="title"' in content


def test_start_post_creates_draft_and_opens_first_step(applicant_client, applicant, cohort):
    response = applicant_client.post(start_url(cohort), {"title": "Tenge stablecoin"})

    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == step_url(application, "activity")
    assert (
        application.title,
        application.organisation,
        application.created_by,
        application.state,
    ) == (
        "Tenge stablecoin",
        applicant.organisation,
        applicant,
        "draft",
    )
    assert (
        AuditEvent.objects.filter(
            application=application, kind=EventKind.APPLICATION_CREATED
        ).count()
        == 1
    )


def test_start_post_without_title_shows_error(applicant_client, cohort):
    response = applicant_client.post(start_url(cohort), {"title": "  "})

    assert "This field is required." in response.content.decode()
    assert not Application.objects.exists()


def test_start_without_organisation_goes_to_organisation_registration(client, cohort):
    client.force_login(factories.ApplicantFactory(organisation=None, is_organisation_admin=False))

    response = client.get(start_url(cohort))

    assert response.status_code == 302
    assert response.url == reverse("accounts:organisation-create")
    assert messages_of(response) == ["Register your organisation before starting an application."]


def test_start_post_without_organisation_creates_nothing(client, cohort):
    client.force_login(factories.ApplicantFactory(organisation=None, is_organisation_admin=False))

    response = client.post(start_url(cohort), {"title": "Tenge stablecoin"})

    assert response.url == reverse("accounts:organisation-create")
    assert not Application.objects.exists()


def test_start_closed_cohort_says_so_and_creates_nothing(applicant_client):
    cohort = factories.CohortFactory(
        opens_at=timezone.now() - timedelta(days=60), closes_at=timezone.now() - timedelta(days=1)
    )

    page = applicant_client.get(start_url(cohort))
    response = applicant_client.post(start_url(cohort), {"title": "Too late"})

    assert "This cohort is closed: applications closed on" in page.content.decode()
    assert 'name="title"' not in page.content.decode()
    assert response.url == start_url(cohort)
    assert messages_of(response) == [f"The cohort “{cohort.name}” is not open for applications."]
    assert not Application.objects.exists()


def test_start_cohort_not_open_yet_says_when(applicant_client):
    cohort = factories.CohortFactory(opens_at=timezone.now() + timedelta(days=3), closes_at=None)

    response = applicant_client.get(start_url(cohort))

    assert "This cohort is not open yet: applications open on" in response.content.decode()


def test_start_by_regulator_staff_is_forbidden(client, reviewer, cohort):
    client.force_login(reviewer)

    assert client.post(start_url(cohort), {"title": "X"}).status_code == 403
    assert not Application.objects.exists()


def test_start_unknown_cohort_is_404(applicant_client):
    assert (
        applicant_client.get(reverse("applications:application-start", args=[999999])).status_code
        == 404
    )


def test_start_only_get_and_post_are_allowed(applicant_client, cohort):
    assert applicant_client.delete(start_url(cohort)).status_code == 405
