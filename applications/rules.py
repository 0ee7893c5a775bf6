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


# Programme admin console: programmes, criteria, document requirements, cohorts.
rules.add_perm("applications.manage_programmes", is_programme_admin)
