from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from ceop_crm.ops.backup import backup_create


class Command(BaseCommand):
    help = "Write one archive of the database and the media folder (see README)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            default=str(settings.BACKUP_ROOT),
            help="folder for the archive (default: DJANGO_BACKUP_ROOT)",
        )

    def handle(self, *args, **options):
        path = backup_create(folder=Path(options["to"]))
        self.stdout.write(str(path))
