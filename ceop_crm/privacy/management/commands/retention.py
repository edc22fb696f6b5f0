"""Apply the retention schedule now, or (--dry-run) list what it would remove."""

from django.core.management.base import BaseCommand

from ceop_crm.privacy.services import retention_apply, retention_due


class Command(BaseCommand):
    help = "Apply the retention schedule (the daily task does it too)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would go, change nothing.",
        )

    def handle(self, *args, dry_run: bool, **options):
        if dry_run:
            for due in retention_due():
                ids = ", ".join(str(pk) for pk in due.sample_ids)
                more = " …" if due.count > len(due.sample_ids) else ""
                self.stdout.write(
                    f"{due.kind} ({due.days} days, before {due.cutoff:%d/%m/%Y}): "
                    f"would {due.action} {due.label}: {due.count}"
                    + (f" — ids {ids}{more}" if ids else "")
                )
            return
        for rule, count in retention_apply().items():
            self.stdout.write(f"{rule}: {count}")
