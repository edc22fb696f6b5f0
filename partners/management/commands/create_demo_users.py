"""Create one demo user per role and print the new passwords once (development only)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from partners.demo.users import DemoUserResult, demo_users_ensure

REFUSED = (
    "create_demo_users is for development only and DEBUG is off. "
    "Use --force if you really want demo users with known passwords here."
)


class Command(BaseCommand):
    help = (
        "Create an administrator, a relationship manager, a senior manager, an "
        "analyst and a partner user. New passwords are printed once; existing "
        "users keep theirs unless --reset-passwords."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when settings.DEBUG is False.",
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give every demo user a new password and print it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(REFUSED)
        results = demo_users_ensure(reset_passwords=options["reset_passwords"])
        shown = [r for r in results if r.password]
        if shown:
            self.stdout.write(
                self.style.WARNING(
                    "Demo users (development only). These passwords are shown "
                    "once and never again:"
                )
            )
            self._table(shown)
            self._second_factors([r for r in shown if r.second_factor_key])
        existing = [r.username for r in results if not r.password and not r.skipped]
        if existing:
            self.stdout.write(
                f"Demo users already exist: {', '.join(existing)}. Their passwords "
                "are not shown again; use --reset-passwords to set new ones."
            )
        for result in results:
            if result.skipped:
                self.stdout.write(f"{result.username}: {result.note}.")

    def _table(self, rows: list[DemoUserResult]) -> None:
        header = ("username", "role", "password", "")
        lines = [(r.username, r.role, r.password or "", r.note) for r in rows]
        widths = [max(len(line[i]) for line in [header, *lines]) for i in range(3)]
        for i, line in enumerate([header, *lines]):
            cells = [line[c].ljust(widths[c]) for c in range(3)]
            note = f"  ({line[3]})" if line[3] else ""
            self.stdout.write(("  " + "  ".join(cells) + note).rstrip())
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))

    def _second_factors(self, rows: list[DemoUserResult]) -> None:
        if not rows:
            return
        self.stdout.write(
            self.style.WARNING(
                "\nStaff and administrators also need a second factor. Add each key "
                "to an authenticator app (time-based, 6 digits), or sign in with one "
                "of the user's recovery codes (each works once):"
            )
        )
        for row in rows:
            self.stdout.write(f"  {row.username}")
            self.stdout.write(f"    authenticator key  {row.second_factor_key}")
            self.stdout.write(f"    recovery codes     {' '.join(row.recovery_codes)}")
