"""Reads for organisations: always scoped to one organisation."""

from django.db.models import QuerySet
from django.utils import timezone

from portal.accounts.models import Invitation, Organisation, Person, User


def people_of(organisation: Organisation) -> QuerySet[Person]:
    return Person.objects.filter(organisation=organisation).order_by("pk")


def members_of(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(organisation=organisation).order_by("joined_organisation_at", "pk")


def invitations_of(organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation=organisation)


def open_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    """Neither accepted, revoked nor expired; newest first."""
    return (
        invitations_of(organisation)
        .filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )
