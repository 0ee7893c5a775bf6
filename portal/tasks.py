"""Project-wide background tasks."""

from celery import shared_task

from portal import health


@shared_task(name="portal.worker_heartbeat", time_limit=30, expires=60)
def worker_heartbeat_task() -> float:
    return health.record_heartbeat()
