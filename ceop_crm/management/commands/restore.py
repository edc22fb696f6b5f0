from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ceop_crm.exceptions import ApplicationError
from ceop_crm.ops.backup import backup_restore


class Command(BaseCommand):
    help = "Replace the database and the media folder with a backup archive's."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a file written by `manage.py backup`")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask before replacing data"
        )

    def handle(self, *args, **options):
        path = Path(options["archive"])
        if not path.is_file():
            raise CommandError(f"No such archive: {path}")
        if not options["yes"]:
            answer = input("This replaces the database and the media. Type 'yes': ")
            if answer.strip() != "yes":
                raise CommandError("Nothing restored.")
        try:
            manifest = backup_restore(path=path)
        except ApplicationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Restored the backup of {manifest['created_at']}.")
