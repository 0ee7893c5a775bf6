from django.core.management.base import BaseCommand, CommandError

from applications.services.audit import verify_chain


class Command(BaseCommand):
    help = "Check that no audit event was edited or deleted (the hash chain is intact)."

    def handle(self, *args, **options):
        problems = verify_chain()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"The audit trail was tampered with: {len(problems)} problem(s).")
        self.stdout.write(self.style.SUCCESS("The audit trail is intact."))
