"""Fill the dashboard's history rows (0017) from the audit trail and the submitted reviews.

The walk lives in services/stage_history.py, shared with the bulk demo seed; it reads every model
through the historical `apps` given here, so it sees the schema as of this migration. Should that
module ever need more than this schema, freeze a copy of the walk here instead.
"""

from django.db import migrations


def backfill(apps, schema_editor):
    from applications.services.stage_history import backfill_stage_history

    backfill_stage_history(apps=apps)


def forget(apps, schema_editor):
    apps.get_model("applications", "StageStay").objects.all().delete()
    apps.get_model("applications", "FinishedClock").objects.all().delete()
    apps.get_model("applications", "ReviewerAssignment").objects.update(turnaround_days=None)


class Migration(migrations.Migration):
    dependencies = [("applications", "0017_stage_history")]

    operations = [migrations.RunPython(backfill, forget)]
