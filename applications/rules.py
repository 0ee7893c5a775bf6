"""Who may do what (DESIGN.md §4), as django-rules predicates.

Asked one way everywhere: `user.has_perm("applications.submit_application", application)`.
Predicates read only what is already loaded on the user and the object: no queries.
"""

import rules

from portal.accounts.models import Role


@rules.predicate
def is_applicant(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.APPLICANT


@rules.predicate
def is_reviewer(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.REVIEWER


@rules.predicate
def is_programme_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.PROGRAMME_ADMIN


@rules.predicate
def is_member_of_applicant(user, application) -> bool:
    return (
        application is not None
        and user.organisation_id is not None
        and user.organisation_id == application.organisation_id
    )


@rules.predicate
def belongs_to_organisation(user, organisation) -> bool:
    return organisation is not None and user.organisation_id == organisation.pk


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    return user.is_organisation_admin


is_member_of_applicant = is_applicant & is_member_of_applicant

rules.add_perm("accounts.create_organisation", is_applicant)
rules.add_perm("accounts.view_organisation", is_applicant & belongs_to_organisation)
rules.add_perm(
    "accounts.manage_organisation", is_applicant & belongs_to_organisation & is_organisation_admin
)
rules.add_perm("applications.start_application", is_applicant)


def identity_hidden_from(user, application) -> bool:
    """Blind review: on a programme that asks for it, reviewers never see who the applicant is
    (names, BIN, people, identifying document names), on any page, export or notification.
    Programme admins always see it. Not a permission (nothing is refused), so not a predicate."""
    return identity_hidden_on(user, blind_review=application.cohort.programme.blind_review)


def identity_hidden_on(user, *, blind_review: bool) -> bool:
    """identity_hidden_from for a row that carries its programme's `blind_review` flag."""
    return user.role == Role.REVIEWER and blind_review


# --- Reviewer workspace: assignment, declarations, reviews, notes -------------------------------
#
# A reviewer may open an application only through a ReviewerAssignment on which they declared no
# conflict of interest (DESIGN.md §4). The scoping queries (queries.applications_visible_to,
# queries.applications_for_staff_list) annotate each row with `cleared_reviewer_id`: the id of the
# user the query ran for when that user holds such an assignment, else None. The predicate reads
# that annotation, so asking for a whole page of rows costs no query. An application loaded some
# other way (a service's select_for_update, a factory in a test) has no annotation: then the
# predicate looks once and remembers the answer on the instance for that user, which is the
# per-request cache (instances live for one request or one service call).


def _has_cleared_assignment(user, application) -> bool:
    annotated = getattr(application, "cleared_reviewer_id", _MISSING)
    if annotated is not _MISSING:
        return annotated == user.pk
    remembered = application.__dict__.setdefault("_cleared_reviewers", {})
    if user.pk not in remembered:
        from applications.enums import Declaration

        remembered[user.pk] = (
            application.pk is not None
            and application.assignments.filter(
                reviewer=user, declaration=Declaration.NO_CONFLICT
            ).exists()
        )
    return remembered[user.pk]


_MISSING = object()


@rules.predicate
def is_cleared_reviewer(user, application) -> bool:
    """A reviewer with an assignment on this application and a declaration of no conflict."""
    return (
        application is not None and is_reviewer(user) and _has_cleared_assignment(user, application)
    )


@rules.predicate
def is_in_evaluation(user, application) -> bool:
    from applications.enums import ApplicationState

    return application is not None and application.state == ApplicationState.EVALUATION


@rules.predicate
def is_open_for_assignment(user, application) -> bool:
    from applications.enums import ASSIGNABLE_STATES

    return application is not None and application.state in ASSIGNABLE_STATES


rules.add_perm("applications.assign_application", is_programme_admin & is_open_for_assignment)
rules.add_perm("applications.review_application", is_cleared_reviewer & is_in_evaluation)
rules.add_perm("applications.add_note_application", is_programme_admin | is_cleared_reviewer)
rules.add_perm("applications.see_reviews_application", is_programme_admin | is_cleared_reviewer)
rules.add_perm("applications.manage_conflicts", is_reviewer | is_programme_admin)


# Screening documents (accepting one, asking for a corrected file) and reading who opened which
# version: programme admins, and reviewers cleared on the application.
can_screen_documents = is_programme_admin | is_cleared_reviewer
rules.add_perm("applications.screen_documents", can_screen_documents)
rules.add_perm("applications.view_document_access_log", is_programme_admin)
# Reviewer workspace: the queues (views/queues.py) and the working-day calendar (views/calendar.py).
rules.add_perm("applications.view_queues", is_reviewer | is_programme_admin)
rules.add_perm("applications.view_all_applications_queue", is_programme_admin)
rules.add_perm("applications.manage_calendar", is_programme_admin)


# --- Reviewer workspace: screening, requests for information, stage moves (issue 4) ---


@rules.predicate
def is_case_officer(user, application) -> bool:
    return application is not None and application.case_officer_id == user.pk


# Staff working the case: an admin, or a reviewer cleared of conflicts on it (a reviewer made
# case officer is given an assignment too, and declares like everyone else).
is_staff_on_case = is_programme_admin | is_cleared_reviewer


# The outbox screen: notifications that failed or are stuck, and sending them again.
rules.add_perm("applications.view_notification_outbox", is_programme_admin)
rules.add_perm("applications.retry_notification", is_programme_admin)


# Programme admin console: programmes, criteria, document requirements, cohorts.
rules.add_perm("applications.manage_programmes", is_programme_admin)
