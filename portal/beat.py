"""Periodic tasks, declared in one place (CONVENTIONS.md "Tasks"); read by settings as
CELERY_BEAT_SCHEDULE and run by `celery -A portal beat`. Each entry names a task in tasks.py;
each task is idempotent, so a late or repeated run does no harm."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Cohorts open and close by their window; this records each moment once and tells the panel.
    "record-cohort-schedule": {
        "task": "applications.record_cohort_schedule",
        "schedule": crontab(minute="*/5"),
    },
}
