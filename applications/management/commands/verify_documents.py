from django.core.management.base import BaseCommand, CommandError

from applications.services.integrity import verify_stored_versions


class Command(BaseCommand):
    help = "Re-hash every stored document version and report missing or changed files."

    def handle(self, *args, **options):
        report = verify_stored_versions()
        for label, versions in (("missing", report.missing), ("changed", report.mismatched)):
            for version in versions:
                self.stderr.write(
                    f"{label}: version {version.pk} ({version.original_name}, "
                    f"key {version.storage_key}, expected SHA-256 {version.sha256})"
                )
        if not report.ok:
            raise CommandError(
                f"{len(report.missing)} missing and {len(report.mismatched)} changed "
                f"of {report.checked} stored document versions."
            )
        self.stdout.write(
            self.style.SUCCESS(f"All {report.checked} stored document versions match.")
        )
