"""Writes for organisations and their members. Each records one audit event."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import EventKind, NotificationKind
from applications.exceptions import NotAllowed, WorkflowError
from applications.services.audit import record_event
from applications.services.notifications import queue_notification
from portal.accounts.models import Invitation, Organisation, Person, User


def create_organisation(*, actor: User, fields: dict) -> Organisation:
    if not actor.has_perm("accounts.create_organisation"):
        raise NotAllowed(_("Only applicants can register an organisation."))
    try:
        with transaction.atomic():
            organisation = _create_with_first_admin(actor, fields)
    except IntegrityError as error:
        # The form checks the BIN is free; this is the race with someone registering it meanwhile.
        raise WorkflowError(
            _(
                "An organisation with this BIN has just been registered. If it is yours, ask its admin to invite you."
            )
        ) from error
    return organisation


def _create_with_first_admin(actor: User, fields: dict) -> Organisation:
    locked = User.objects.select_for_update().get(pk=actor.pk)
    if locked.organisation_id is not None:
        raise WorkflowError(_("You already belong to an organisation."))
    organisation = Organisation.objects.create(**fields)
    now = timezone.now()
    User.objects.filter(pk=actor.pk).update(
        organisation=organisation, is_organisation_admin=True, joined_organisation_at=now
    )
    _refresh_membership(actor, organisation, is_admin=True, joined_at=now)
    record_event(
        kind=EventKind.ORGANISATION_CREATED,
        actor=actor,
        organisation=organisation,
        data={"legal_name_en": organisation.legal_name_en, "bin": organisation.bin},
    )
    return organisation


def update_organisation(*, actor: User, organisation: Organisation, fields: dict) -> list[str]:
    """Apply the changed fields; returns their names (an empty list when nothing changed)."""
    _require_admin(actor, organisation)
    with transaction.atomic():
        # Compare with the stored row: a ModelForm has already written the new values onto the
        # instance it validated, which may be the very object passed in.
        stored = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = {name: value for name, value in fields.items() if getattr(stored, name) != value}
        if not changed:
            return []
        before = {name: str(getattr(stored, name)) for name in changed}
        for name, value in changed.items():
            setattr(stored, name, value)
            setattr(organisation, name, value)
        stored.save(update_fields=[*changed, "updated_at"])
        organisation.updated_at = stored.updated_at
        record_event(
            kind=EventKind.ORGANISATION_UPDATED,
            actor=actor,
            organisation=organisation,
            data={"before": before, "after": {name: str(value) for name, value in changed.items()}},
        )
    return sorted(changed)


def replace_people(*, actor: User, organisation: Organisation, formset) -> None:
    """Save a validated people formset (adds, edits and deletions) as one change."""
    _require_admin(actor, organisation)
    with transaction.atomic():
        formset.instance = organisation
        formset.save()
        record_event(
            kind=EventKind.ORGANISATION_UPDATED,
            actor=actor,
            organisation=organisation,
            data={
                "people": list(
                    Person.objects.filter(organisation=organisation).values_list(
                        "full_name", flat=True
                    )
                )
            },
        )


def invite_member(*, actor: User, organisation: Organisation, email: str) -> Invitation:
    _require_admin(actor, organisation)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email, organisation=organisation).exists():
        raise WorkflowError(
            _("%(email)s is already a member of your organisation.") % {"email": email}
        )
    with transaction.atomic():
        unanswered = Invitation.objects.filter(
            organisation=organisation, email=email, accepted_at=None, revoked_at=None
        )
        # A lapsed invitation still counts for the one-open-invitation constraint: close it so
        # the admin can invite the same address again.
        unanswered.filter(expires_at__lte=timezone.now()).update(revoked_at=timezone.now())
        if unanswered.exists():
            raise WorkflowError(
                _("%(email)s has already been invited; the invitation is still open.")
                % {"email": email}
            )
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    organisation=organisation, email=email, invited_by=actor
                )
        except IntegrityError as error:  # the same address invited twice at the same moment
            raise WorkflowError(
                _("%(email)s has already been invited; the invitation is still open.")
                % {"email": email}
            ) from error
        record_event(
            kind=EventKind.MEMBER_INVITED,
            actor=actor,
            organisation=organisation,
            data={"email": email},
        )
        queue_notification(
            kind=NotificationKind.ORGANISATION_INVITATION,
            email=email,
            language=actor.preferred_language or None,
            context={
                "organisation": organisation.legal_name_en,
                "inviter": actor.display_name,
                "token": invitation.token,
            },
        )
    return invitation


def revoke_invitation(*, actor: User, invitation: Invitation) -> None:
    _require_admin(actor, invitation.organisation)
    with transaction.atomic():
        updated = Invitation.objects.filter(
            pk=invitation.pk, accepted_at=None, revoked_at=None
        ).update(revoked_at=timezone.now())
        if not updated:
            raise WorkflowError(_("This invitation has already been accepted or revoked."))
        record_event(
            kind=EventKind.INVITATION_REVOKED,
            actor=actor,
            organisation=invitation.organisation,
            data={"email": invitation.email},
        )


def accept_invitation(*, actor: User, token: str) -> Organisation:
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organisation")
            .filter(token=token)
            .first()
        )
        if invitation is None or not invitation.is_open:
            raise WorkflowError(
                _(
                    "This invitation is no longer valid. Ask your organisation's admin for a new one."
                )
            )
        if invitation.email.lower() != actor.email.lower():
            raise WorkflowError(
                _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
                % {"email": invitation.email}
            )
        if not actor.has_perm("accounts.create_organisation"):
            raise NotAllowed(_("Regulator staff accounts cannot join an applicant organisation."))
        locked = User.objects.select_for_update().get(pk=actor.pk)
        if locked.organisation_id is not None:
            raise WorkflowError(_("You already belong to an organisation."))
        now = timezone.now()
        User.objects.filter(pk=actor.pk).update(
            organisation=invitation.organisation,
            is_organisation_admin=False,
            joined_organisation_at=now,
        )
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at"])
        _refresh_membership(actor, invitation.organisation, is_admin=False, joined_at=now)
        record_event(
            kind=EventKind.MEMBER_JOINED,
            actor=actor,
            organisation=invitation.organisation,
            data={"email": actor.email},
        )
    return invitation.organisation


def remove_member(*, actor: User, organisation: Organisation, member: User) -> None:
    _require_admin(actor, organisation)
    if member.organisation_id != organisation.pk:
        raise WorkflowError(_("This person is not a member of your organisation."))
    with transaction.atomic():
        admin_ids = _lock_admin_ids(organisation)
        locked = _lock_member(organisation, member)
        if locked.is_organisation_admin and admin_ids == [locked.pk]:
            # Only an admin may remove, so the last admin here is always the actor leaving.
            raise WorkflowError(
                _("You are the only admin of the organisation; make another member admin first.")
            )
        User.objects.filter(pk=locked.pk).update(
            organisation=None, is_organisation_admin=False, joined_organisation_at=None
        )
        record_event(
            kind=EventKind.MEMBER_REMOVED,
            actor=actor,
            organisation=organisation,
            data={"email": member.email},
        )


def set_member_admin(
    *, actor: User, organisation: Organisation, member: User, is_admin: bool
) -> None:
    _require_admin(actor, organisation)
    if member.organisation_id != organisation.pk:
        raise WorkflowError(_("This person is not a member of your organisation."))
    with transaction.atomic():
        # Locking every admin row serialises two admins demoting each other at the same moment.
        admin_ids = _lock_admin_ids(organisation)
        locked = _lock_member(organisation, member)
        if not is_admin and not [pk for pk in admin_ids if pk != locked.pk]:
            raise WorkflowError(_("An organisation needs at least one admin."))
        User.objects.filter(pk=locked.pk).update(is_organisation_admin=is_admin)
        record_event(
            kind=EventKind.ORGANISATION_UPDATED,
            actor=actor,
            organisation=organisation,
            data={"member": member.email, "is_admin": is_admin},
        )


def _refresh_membership(
    actor: User, organisation: Organisation, *, is_admin: bool, joined_at
) -> None:
    """Mirror the row update on the caller's user object, which the request keeps using."""
    actor.organisation, actor.is_organisation_admin = organisation, is_admin
    actor.joined_organisation_at = joined_at


def _lock_admin_ids(organisation: Organisation) -> list[int]:
    admins = User.objects.select_for_update().filter(
        organisation=organisation, is_organisation_admin=True, is_active=True
    )
    return list(admins.order_by("pk").values_list("pk", flat=True))


def _lock_member(organisation: Organisation, member: User) -> User:
    locked = (
        User.objects.select_for_update().filter(pk=member.pk, organisation=organisation).first()
    )
    if locked is None:
        raise WorkflowError(_("This person is not a member of your organisation."))
    return locked


def _require_admin(actor: User, organisation: Organisation) -> None:
    if not actor.has_perm("accounts.manage_organisation", organisation):
        raise NotAllowed(_("Only your organisation's admins can do this."))
