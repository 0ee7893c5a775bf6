"""Each reviewer's conflict-of-interest register, and matching it against applications.

A register line names an organisation, a BIN or a person. Assignment refuses an application whose
organisation, BIN or people (accounts.Person names) match a line of the reviewer's register.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from applications.enums import ConflictRelation, EventKind
from applications.exceptions import NotAllowed, WorkflowError
from applications.models import ConflictOfInterest
from applications.services.audit import record_event
from portal.accounts.models import Person


def normalise_name(name: str) -> str:
    """Names compare without case and extra spaces: "  Aigerim  NURLANOVNA" == "aigerim nurlanovna"."""
    return " ".join(name.split()).casefold()


def add_conflict(
    *,
    actor,
    relation: str,
    organisation=None,
    bin: str = "",
    person_name: str = "",
    details: str = "",
) -> ConflictOfInterest:
    if not actor.has_perm("applications.manage_conflicts"):
        raise NotAllowed(_("You are not allowed to do this."))
    bin, person_name = bin.strip(), " ".join(person_name.split())
    if organisation is None and not bin and not person_name:
        raise WorkflowError(_("Name an organisation, a BIN or a person."))
    if relation not in ConflictRelation.values:
        raise WorkflowError(_("Choose how you are related."))
    with transaction.atomic():
        conflict = ConflictOfInterest.objects.create(
            reviewer=actor,
            organisation=organisation,
            bin=bin,
            person_name=person_name,
            relation=relation,
            details=details.strip(),
        )
        record_event(
            kind=EventKind.CONFLICT_REGISTERED,
            actor=actor,
            subject=f"conflict:{conflict.pk}",
            data={
                "organisation": organisation.pk if organisation else None,
                "bin": bin,
                "person_name": person_name,
                "relation": relation,
            },
        )
    return conflict


def remove_conflict(*, actor, conflict_id: int) -> None:
    with transaction.atomic():
        conflict = (
            ConflictOfInterest.objects.select_for_update()
            .filter(reviewer=actor, pk=conflict_id)
            .first()
        )
        if conflict is None:  # someone else's line, or already removed
            raise NotAllowed(_("This line is not in your register."))
        data = {
            "organisation": conflict.organisation_id,
            "bin": conflict.bin,
            "person_name": conflict.person_name,
            "relation": conflict.relation,
        }
        conflict.delete()
        record_event(
            kind=EventKind.CONFLICT_REMOVED,
            actor=actor,
            subject=f"conflict:{conflict_id}",
            data=data,
        )


@dataclass(frozen=True)
class ConflictMatch:
    conflict: ConflictOfInterest
    reason: str  # what matched, in words, for the person assigning


def matching_conflicts(
    conflicts: Iterable[ConflictOfInterest], organisation, people_names: Iterable[str]
) -> list[ConflictMatch]:
    """The register lines that match this organisation or one of its people (pure)."""
    names = {normalise_name(name) for name in people_names}
    matches = []
    for conflict in conflicts:
        if conflict.organisation_id and conflict.organisation_id == organisation.pk:
            reason = _("the organisation %(name)s") % {"name": organisation.legal_name}
        elif conflict.bin and organisation.bin and conflict.bin == organisation.bin:
            reason = _("the BIN %(bin)s") % {"bin": conflict.bin}
        elif conflict.person_name and normalise_name(conflict.person_name) in names:
            reason = _("the person %(name)s") % {"name": conflict.person_name}
        else:
            continue
        matches.append(ConflictMatch(conflict=conflict, reason=reason))
    return matches


class ConflictIndex:
    """Registers of some reviewers and people of some organisations, loaded in two queries, so
    that a whole bulk or automatic assignment checks conflicts without a query per pair."""

    def __init__(self, reviewer_ids: Iterable[int], organisation_ids: Iterable[int]) -> None:
        self.by_reviewer: dict[int, list[ConflictOfInterest]] = {}
        for conflict in ConflictOfInterest.objects.filter(reviewer_id__in=list(reviewer_ids)):
            self.by_reviewer.setdefault(conflict.reviewer_id, []).append(conflict)
        self.people: dict[int, list[str]] = {}
        rows = Person.objects.filter(organisation_id__in=list(organisation_ids)).values_list(
            "organisation_id", "full_name"
        )
        for organisation_id, name in rows:
            self.people.setdefault(organisation_id, []).append(name)

    def matches(self, reviewer_id: int, organisation) -> list[ConflictMatch]:
        return matching_conflicts(
            self.by_reviewer.get(reviewer_id, []),
            organisation,
            self.people.get(organisation.pk, []),
        )


def conflict_message(reviewer, matches: list[ConflictMatch]) -> str:
    return _("%(reviewer)s has registered a conflict of interest with %(what)s.") % {
        "reviewer": reviewer.display_name,
        "what": ", ".join(match.reason for match in matches),
    }
