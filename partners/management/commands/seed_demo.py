"""Load a believable, fictitious demo data set: see partners.demo."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partners.demo import demo_seed
from partners.models import Organisation

DEFAULT_ORGS = 120
MAX_ORGS = 100_000
DEFAULT_SEED = 2013


class Command(BaseCommand):
    help = (
        "Create demo organisations in every tier and sector with their due "
        "diligence, MoUs, associations, reviews, contributions, benefits, issues "
        "and proposals. All names are fictitious."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--orgs",
            type=int,
            default=DEFAULT_ORGS,
            help=f"How many organisations to create (default {DEFAULT_ORGS}).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any organisation exists (used by `make run`).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed on the same day gives the same data (default {DEFAULT_SEED}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        orgs = options["orgs"]
        if not 1 <= orgs <= MAX_ORGS:
            raise CommandError(f"--orgs must be between 1 and {MAX_ORGS}.")
        if options["if_empty"] and Organisation.objects.exists():
            self.stdout.write("Organisations exist already; no demo data loaded.")
            return
        started = time.monotonic()
        counts = demo_seed(
            orgs=orgs,
            seed=options["seed"],
            progress=lambda message: self.stdout.write(message),
        )
        elapsed = time.monotonic() - started
        width = max(len(k) for k in counts)
        for kind, count in counts.items():
            self.stdout.write(f"  {kind.ljust(width)}  {count:>7}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {orgs} organisations in {elapsed:.1f}s (seed {options['seed']})."
            )
        )
