"""Cached reads that model changes make stale, cleared when those changes commit.

The queue filters' cohort list (queries/queues.filter_cohorts) holds every cohort's name, its
programme's names and its panel: any save or delete of a cohort or a programme, and any change
of a panel, from a service, the console or Django's admin, clears it.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


def forget_filter_cohorts(**kwargs) -> None:
    from applications.queries.queues import FILTER_COHORTS_CACHE_KEY

    # Now, for what this transaction reads next, and again on commit: another request reading
    # between the change and its commit caches the old list.
    cache.delete(FILTER_COHORTS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(FILTER_COHORTS_CACHE_KEY))


def connect() -> None:
    from applications.models import Cohort, Programme

    for model in (Cohort, Programme):
        post_save.connect(forget_filter_cohorts, sender=model, dispatch_uid=f"cohorts-{model}")
        post_delete.connect(
            forget_filter_cohorts, sender=model, dispatch_uid=f"cohorts-del-{model}"
        )
    m2m_changed.connect(
        forget_filter_cohorts, sender=Cohort.panel.through, dispatch_uid="cohorts-panel"
    )
