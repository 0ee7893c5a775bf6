from django.db import transaction

from applications.models import ReferenceSequence

PREFIX = "SBX"


def next_reference(*, year: int) -> str:
    """The next reference of a year, e.g. SBX-2026-00042. Gap-free: runs in the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_reference must run inside the submitting transaction.")
    sequence, _created = ReferenceSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{PREFIX}-{year}-{sequence.last_number:05d}"
