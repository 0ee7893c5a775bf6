"""The Django admin: superusers only, signing in through allauth, lists with a constant number of
queries, lifecycle fields read-only, and the "start screening" action going through the service."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.messages import get_messages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState, EventKind, NotificationKind
from applications.models import Application, AuditEvent, Notification
from applications.services.audit import record_event
from portal.accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "applications_programme",
    "applications_cohort",
    "applications_application",
    "applications_documentversion",
    "applications_auditevent",
    "applications_notification",
    "accounts_user",
    "accounts_organisation",
    "accounts_invitation",
]
# Session, user, two-factor check, counts, the page of rows and the filter choices; never per row.
MAX_CHANGELIST_QUERIES = 8


@pytest.fixture
def superuser(db):
    # A regulator admin who is also a superuser: the portal asks staff for TOTP, as factories set up.
    return factories.ProgrammeAdminFactory(
        is_superuser=True, is_staff=True, email="root@nbk.example"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def submitted(**kwargs) -> Application:
    number = Application.objects.count() + 1
    return factories.ApplicationFactory(
        state=ApplicationState.SUBMITTED,
        reference=f"SBX-2026-{number:05d}",
        submitted_at=timezone.now(),
        **kwargs,
    )


def make_rows(count: int) -> list[Application]:
    """`count` rows in every table the admin lists, linked as in real life."""
    applications = []
    for _ in range(count):
        application = submitted()
        factories.CriterionFactory(programme=application.cohort.programme)
        factories.DocumentVersionFactory(document__application=application)
        factories.InvitationFactory(organisation=application.organisation)
        application.cohort.panel.add(factories.ReviewerFactory())
        Notification.objects.create(
            recipient=application.created_by,
            recipient_email=application.created_by.email,
            kind=NotificationKind.APPLICATION_SUBMITTED,
            language="en",
            application=application,
        )
        with transaction.atomic():
            record_event(
                kind=EventKind.APPLICATION_SUBMITTED,
                actor=application.created_by,
                application=application,
            )
        applications.append(application)
    return applications


def changelist(model: str) -> str:
    return reverse(f"admin:{model}_changelist")


@pytest.mark.parametrize("rows", [1, 6])
@pytest.mark.parametrize("model", CHANGELISTS)
def test_admin_changelist_loads_with_constant_queries(
    admin_client, django_assert_max_num_queries, model, rows
):
    make_rows(rows)

    with django_assert_max_num_queries(MAX_CHANGELIST_QUERIES):
        response = admin_client.get(changelist(model))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= rows


def test_admin_change_pages_load(admin_client, superuser):
    application = make_rows(1)[0]
    version = application.documents.get().versions.get()
    pages = {
        reverse(
            "admin:applications_programme_change", args=[application.cohort.programme_id]
        ): "Criteria",
        reverse("admin:applications_cohort_change", args=[application.cohort_id]): "reviewer panel",
        reverse(
            "admin:applications_application_change", args=[application.pk]
        ): application.reference,
        reverse("admin:applications_documentversion_change", args=[version.pk]): version.sha256,
        reverse(
            "admin:applications_auditevent_change", args=[AuditEvent.objects.get().pk]
        ): "Application submitted",
        reverse("admin:accounts_user_change", args=[superuser.pk]): "Role in the portal",
        reverse("admin:accounts_user_add"): "Password",
        reverse("admin:accounts_organisation_change", args=[application.organisation_id]): "People",
    }
    for url, expected in pages.items():
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode(), url


def test_admin_keeps_a_submitted_application_read_only(admin_client):
    application = submitted()
    draft = factories.ApplicationFactory()

    submitted_page = admin_client.get(
        reverse("admin:applications_application_change", args=[application.pk])
    )
    draft_page = admin_client.get(reverse("admin:applications_application_change", args=[draft.pk]))

    assert 'name="title"' not in submitted_page.content.decode()
    assert 'name="title"' in draft_page.content.decode()
    assert 'name="state"' not in draft_page.content.decode()
    assert 'name="reference"' not in draft_page.content.decode()


def test_admin_offers_no_add_or_delete_for_applications(admin_client):
    application = submitted()

    assert admin_client.get(reverse("admin:applications_application_add")).status_code == 403
    assert (
        admin_client.get(
            reverse("admin:applications_application_delete", args=[application.pk])
        ).status_code
        == 403
    )


@pytest.mark.parametrize("model", ["auditevent", "notification", "documentversion"])
def test_admin_records_cannot_be_added_changed_or_deleted(admin_client, model):
    record = make_rows(1)[0]
    pk = {
        "auditevent": lambda: AuditEvent.objects.get().pk,
        "notification": lambda: Notification.objects.get().pk,
        "documentversion": lambda: record.documents.get().versions.get().pk,
    }[model]()

    assert admin_client.get(reverse(f"admin:applications_{model}_add")).status_code == 403
    assert (
        admin_client.get(reverse(f"admin:applications_{model}_delete", args=[pk])).status_code
        == 403
    )
    assert (
        admin_client.post(reverse(f"admin:applications_{model}_change", args=[pk]), {}).status_code
        == 403
    )
    page = admin_client.get(
        reverse(f"admin:applications_{model}_change", args=[pk])
    ).content.decode()
    assert 'name="_save"' not in page


def test_admin_action_starts_screening_with_me_as_case_officer(admin_client, superuser):
    first, second = submitted(), submitted()
    draft = factories.ApplicationFactory(title="Still a draft")

    response = admin_client.post(
        changelist("applications_application"),
        {"action": "start_screening_with_me", "_selected_action": [first.pk, second.pk, draft.pk]},
    )

    assert response.status_code == 302
    moved = Application.objects.filter(state=ApplicationState.SCREENING, case_officer=superuser)
    assert sorted(moved.values_list("pk", flat=True)) == [first.pk, second.pk]
    assert Application.objects.get(pk=draft.pk).state == ApplicationState.DRAFT
    assert AuditEvent.objects.filter(kind=EventKind.SCREENING_STARTED, actor=superuser).count() == 2
    notes = [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]
    assert notes == [
        ("success", f"{first.reference}: screening started, with you as case officer."),
        ("success", f"{second.reference}: screening started, with you as case officer."),
        (
            "error",
            "Still a draft: This application is now “Draft”, so this can no longer be done. "
            "Reload the page to see its current state.",
        ),
    ]


def test_admin_action_reports_a_superuser_who_is_not_regulator_staff(client):
    root = factories.UserFactory(is_superuser=True, is_staff=True)
    Authenticator.objects.create(
        user=root, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    application = submitted()
    client.force_login(root)

    response = client.post(
        changelist("applications_application"),
        {"action": "start_screening_with_me", "_selected_action": [application.pk]},
    )

    assert Application.objects.get(pk=application.pk).state == ApplicationState.SUBMITTED
    notes = [str(message) for message in get_messages(response.wsgi_request)]
    assert notes == [
        f"{application.reference}: The case officer must be an active member of the regulator's staff."
    ]


def test_admin_searches_applications_by_bin_name_and_reference(admin_client):
    # A name with no digits: admin search splits on spaces, and a bare number such as
    # the factory's sequence could also occur inside the other organisation's random BIN.
    target = submitted(organisation=factories.OrganisationFactory(legal_name_en="Qazaq Ledger LLP"))
    other = submitted()

    for query in (target.organisation.bin, target.organisation.legal_name_en, target.reference):
        response = admin_client.get(changelist("applications_application"), {"q": query})
        assert list(response.context["cl"].result_list) == [target], query
    assert other.reference not in response.content.decode()


def test_admin_filters_applications_by_state_and_cohort(admin_client):
    target, other = submitted(), factories.ApplicationFactory()

    by_state = admin_client.get(
        changelist("applications_application"), {"state__exact": "submitted"}
    )
    by_cohort = admin_client.get(
        changelist("applications_application"), {"cohort": other.cohort_id}
    )

    assert list(by_state.context["cl"].result_list) == [target]
    assert list(by_cohort.context["cl"].result_list) == [other]


def test_admin_cohort_panel_offers_only_regulator_staff(admin_client, superuser):
    cohort = factories.CohortFactory()
    reviewer, applicant = factories.ReviewerFactory(), factories.ApplicantFactory()

    response = admin_client.get(reverse("admin:applications_cohort_change", args=[cohort.pk]))

    choices = {user.email for user in response.context["adminform"].form.fields["panel"].queryset}
    assert choices == {reviewer.email, superuser.email}
    assert applicant.email not in choices


def test_admin_creates_a_user_with_email_and_role(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Reviewer@nbk.example",
            "full_name": "Dana Nurpeisova",
            "role": "reviewer",
            "usable_password": "true",
            "password1": "Sandbox-review-2026",
            "password2": "Sandbox-review-2026",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.reviewer@nbk.example")
    assert (user.role, user.is_staff, user.is_superuser) == ("reviewer", False, False)
    assert user.check_password("Sandbox-review-2026")


def test_admin_is_closed_to_regulator_staff_who_are_not_superusers(client, reviewer):
    client.force_login(reviewer)

    response = client.get("/django-admin/", follow=True)

    assert response.status_code == 403
    assert response.redirect_chain[0][0].startswith(reverse("admin:login"))


def test_admin_login_goes_through_allauth_with_its_two_factor_step(client):
    response = client.get(reverse("admin:login"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")


def test_admin_requires_two_factor_even_for_a_superuser(client):
    root = factories.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(root)

    response = client.get(changelist("applications_application"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_admin_lists_reminders_sent(admin_client, programme_admin):
    from datetime import date

    from applications.enums import NotificationKind
    from applications.models import ReminderLog

    ReminderLog.objects.create(
        kind=NotificationKind.CLOCK_BREACHED,
        subject="application:7:screening",
        recipient=programme_admin,
        due_date=date(2026, 11, 9),
    )

    response = admin_client.get(changelist("applications_reminderlog"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert admin_client.get(reverse("admin:applications_reminderlog_add")).status_code == 403
