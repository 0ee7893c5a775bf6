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
    return user.role == Role.REVIEWER and application.cohort.programme.blind_review


# --- Reviewer workspace: screening, requests for information, stage moves (issue 4) ---


@rules.predicate
def is_case_officer(user, application) -> bool:
    return application is not None and application.case_officer_id == user.pk


@rules.predicate
def has_cleared_assignment(user, application) -> bool:
    """Assigned to this application and declared no conflict of interest. Reads the ids on
    `application.cleared_reviewer_ids` when a query annotated them, else asks once."""
    if application is None:
        return False
    cleared = getattr(application, "cleared_reviewer_ids", None)
    if cleared is not None:
        return user.pk in cleared
    from applications.enums import Declaration

    return application.assignments.filter(
        reviewer_id=user.pk, declaration=Declaration.NO_CONFLICT
    ).exists()


is_cleared_reviewer = is_reviewer & has_cleared_assignment
# Staff working the case: its case officer, a reviewer cleared of conflicts, or an admin.
is_staff_on_case = is_programme_admin | (is_reviewer & is_case_officer) | is_cleared_reviewer
