"""`python manage.py open_planning_year 2027/28`: a new year of the planning cycle.

Copies the milestone template into the year (an existing year keeps its
milestones and their edited dates) and schedules every current association's
reviews in it. Running it again changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ceop_crm.exceptions import ApplicationError
from planning.services import planning_year_open, reviews_schedule


class Command(BaseCommand):
    help = "Open a planning year (YYYY/YY) from the milestone template and schedule its reviews."

    def add_arguments(self, parser):
        parser.add_argument("label", help="The planning year, for example 2027/28.")

    def handle(self, *args, label: str, **options):
        try:
            with transaction.atomic():
                year = planning_year_open(label=label.strip())
                counts = reviews_schedule(years=[year])
        except ApplicationError as error:
            raise CommandError(" ".join(error.messages)) from None
        milestones = year.milestones.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Planning year {year.label} ({year.start:%d/%m/%Y} to "
                f"{year.end:%d/%m/%Y}): {milestones} milestones; reviews "
                f"{counts['created']} created, {counts['moved']} moved, "
                f"{counts['cancelled']} cancelled."
            )
        )
