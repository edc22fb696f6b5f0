"""Benchmark the reminder sweep: `python manage.py bench_sweep --orgs 10000`.

Seeds N organisations (every level, owners and deputies, reviews scheduled by
the real scheduler, MoUs, portal users, primary contacts, open issues) on the
configured database, then times:

- one full sweep (finding what is due and recording the reminders),
- a second sweep, which finds everything recorded already (no-op),
- the sending of the first --send-sample recorded emails (5,000 by default;
  0 sends them all) on Django's in-memory email backend, as emails per second,
- the floor: one bulk insert of as many reminder rows as the sweep recorded,
- the sweep's own rows (reminders and emails, with their texts) inserted again
  by the sweep's statement: what writing them costs with the text indexes,

and prints the times, the ratios sweep / floor and no-op / full, the number of
reminders and the SQL queries of each. Everything runs in one transaction that
is rolled back (unless --keep), so the database is left as it was.

On PostgreSQL the seeded tables are analysed after seeding, and the reminder
and email tables again after the sweep, as the autovacuum daemon keeps a live
database's statistics. Inside the transaction ANALYZE samples the rows this
transaction wrote; without it the planner knows nothing of them and plans each
claim of the sending as a bitmap of every unsent row and a sort (0.3 to 1 s a
claim at 100,000 organisations). ANALYZE writes the table sizes into pg_class
in place, so after a rollback they stay until the next autovacuum.
"""

import argparse
import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from ceop_crm import mail, roles
from ceop_crm.models import OutboundEmail
from partners.dedupe.normalise import name_key
from partners.models import (
    Contact,
    MoU,
    Organisation,
    OwnershipLevel,
    PortalMembership,
    RelationshipIssue,
    Sector,
)
from planning.models import Milestone, MilestoneKind, Reminder, Review
from planning.services import (
    planning_years_ensure,
    reminders_send,
    reminders_sweep,
    reviews_schedule,
)
from planning.services.reminders.storage import (
    EMAIL_COLUMNS,
    REMINDER_COLUMNS,
    _insert_ignoring_conflicts,
)
from tiers.models import Association, TierLevel

# Share of organisations per level, as in a believable portfolio.
MIX = [
    ("strategic-partner", 0.10),
    ("partner", 0.25),
    ("official-supporter", 0.45),
    ("supplier", 0.20),
]


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Seed N organisations and time the reminder sweep against its floor."

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--repeat",
            type=int,
            default=3,
            help="Time each step this many times and keep the best.",
        )
        parser.add_argument(
            "--keep", action="store_true", help="Commit the seeded data."
        )
        parser.add_argument(
            "--send-sample",
            type=int,
            default=5000,
            help="Time sending this many of the recorded emails (0: all of them).",
        )
        parser.add_argument(
            "--analyse",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="Analyse the seeded tables on PostgreSQL, as autovacuum would "
            "(the table sizes stay in the catalogue after the rollback).",
        )

    def handle(
        self,
        *args,
        orgs: int,
        seed: int,
        keep: bool,
        repeat: int,
        send_sample: int,
        analyse: bool = True,
        **options,
    ):
        self.analyse = analyse
        self.repeat = max(1, repeat)
        self.send_sample = max(0, send_sample)
        if orgs < 10:
            raise CommandError("Use at least 10 organisations.")
        self.rng = random.Random(seed)
        try:
            with transaction.atomic():
                self._run(orgs)
                if not keep:
                    raise _Rollback
        except _Rollback:
            self.stdout.write("Rolled back: the database is as it was.")

    # --- seeding -----------------------------------------------------------------

    def _seed(self, n: int) -> dt.datetime:
        rng = self.rng
        user_model = get_user_model()
        password = make_password(None)
        tag = f"bench{int(time.time())}"
        today = timezone.localdate()
        years = planning_years_ensure(today=today)
        window = (
            Milestone.objects.filter(
                planning_year__in=years,
                kind=MilestoneKind.QUARTERLY_MONITORING,
                end_date__gte=today,
            )
            .order_by("date")
            .first()
        )
        sweep_day = window.closes_on

        managers = user_model.objects.bulk_create(
            user_model(
                username=f"{tag}-rm{i}",
                email=f"rm{i}@{tag}.ceop.example",
                password=password,
            )
            for i in range(max(4, n // 200))
        )
        seniors = user_model.objects.bulk_create(
            user_model(
                username=f"{tag}-sm{i}",
                email=f"sm{i}@{tag}.ceop.example",
                password=password,
            )
            for i in range(3)
        )
        Membership = user_model.groups.through
        rm_group = Group.objects.get(name=roles.RELATIONSHIP_MANAGER)
        sm_group = Group.objects.get(name=roles.SENIOR_MANAGER)
        Membership.objects.bulk_create(
            [Membership(user_id=u.pk, group_id=rm_group.pk) for u in managers]
            + [Membership(user_id=u.pk, group_id=sm_group.pk) for u in seniors]
        )

        tiers = {t.code: t for t in TierLevel.objects.all()}
        codes = []
        for code, share in MIX:
            codes += [code] * round(n * share)
        codes = (codes + ["official-supporter"] * n)[:n]
        rng.shuffle(codes)
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"{tag} Organisation {i:06d}",
                name_key=name_key(f"{tag} Organisation {i:06d}"),
                sector=rng.choice(Sector.values),
                status=Organisation.Status.ACTIVE,
                owner=managers[i % len(managers)],
                deputy=managers[(i + 1) % len(managers)] if i % 3 else None,
            )
            for i in range(n)
        )
        start = sweep_day - dt.timedelta(days=400)
        Association.objects.bulk_create(
            Association(
                organisation=org, tier=tiers[code], start=start, created_by=None
            )
            for org, code in zip(organisations, codes, strict=True)
        )
        mou_orgs = [
            org
            for org, code in zip(organisations, codes, strict=True)
            if code in ("strategic-partner", "partner") or rng.random() < 0.2
        ]
        mous = MoU.objects.bulk_create(
            MoU(
                organisation=org,
                status=MoU.Status.SIGNED,
                signed_on=start,
                start=start,
                end=sweep_day + dt.timedelta(days=rng.randint(-30, 400)),
                ceop_signatory="Director of Partnerships",
                partner_signatory="Chief Executive",
                market_equally=True,
            )
            for org in mou_orgs
        )
        OwnershipLevel.objects.bulk_create(
            OwnershipLevel(
                mou=mou,
                level=level,
                side=side,
                name=f"Level {level} {side}",
                email=f"l{level}-{side}-{mou.organisation_id}@{tag}.example",
            )
            for mou in mous
            for level in (1, 2)
            for side in ("ceop", "partner")
        )
        portal_orgs = [
            org
            for org, code in zip(organisations, codes, strict=True)
            if rng.random() < 0.3
        ]
        portal_users = user_model.objects.bulk_create(
            user_model(
                username=f"{tag}-p{org.pk}",
                email=f"user@{org.pk}.{tag}.example",
                password=password,
            )
            for org in portal_orgs
        )
        PortalMembership.objects.bulk_create(
            PortalMembership(user=user, organisation=org)
            for user, org in zip(portal_users, portal_orgs, strict=True)
        )
        Contact.objects.bulk_create(
            Contact(
                organisation=org,
                name=f"Contact {org.pk}",
                email=f"contact@{org.pk}.{tag}.example",
                is_primary=True,
            )
            for org in organisations
            if rng.random() < 0.5
        )
        RelationshipIssue.objects.bulk_create(
            RelationshipIssue(
                organisation=org,
                title="Delayed delivery",
                owner=org.owner,
                raised_on=sweep_day - dt.timedelta(days=20),
            )
            for org in organisations
            if rng.random() < 0.02
        )
        counts = reviews_schedule(today=today)
        self.stdout.write(
            f"Seeded {n} organisations ({len(mous)} MoUs, {len(portal_users)} portal "
            f"users, {counts['created']} reviews); sweeping on {sweep_day:%d/%m/%Y}."
        )
        london = ZoneInfo("Europe/London")
        return dt.datetime.combine(sweep_day, dt.time(9, 5), tzinfo=london)

    # --- timing ------------------------------------------------------------------

    def _timed(self, fn, *, keep: bool = True):
        """Best of --repeat runs, each undone by a savepoint but the last (if kept).

        The machine is shared, so the best run is the one least disturbed.
        """
        best = None
        for attempt in range(self.repeat):
            savepoint = transaction.savepoint()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = fn()
                elapsed = time.perf_counter() - started
            if keep and attempt == self.repeat - 1:
                transaction.savepoint_commit(savepoint)
            else:
                transaction.savepoint_rollback(savepoint)
            best = elapsed if best is None else min(best, elapsed)
        return result, best, len(queries.captured_queries)

    def _analyse(self, models) -> None:
        """Statistics of these tables, the rows of this transaction included."""
        if connection.vendor != "postgresql" or not self.analyse:
            return
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')

    def _run(self, n: int) -> None:
        started = time.perf_counter()
        now = self._seed(n)
        self.stdout.write(f"Seeding took {time.perf_counter() - started:.1f} s.")
        user_model = get_user_model()
        self._analyse(
            [
                user_model,
                user_model.groups.through,
                Organisation,
                Association,
                MoU,
                OwnershipLevel,
                PortalMembership,
                Contact,
                RelationshipIssue,
                Review,
                Reminder,
                OutboundEmail,
            ]
        )

        # A worker's URL resolver is built once per process: build it before
        # timing, as in the steady state of the hourly sweep.
        reverse("notification_open", args=[1])
        full, full_s, full_q = self._timed(lambda: reminders_sweep(now=now))
        noop, noop_s, noop_q = self._timed(lambda: reminders_sweep(now=now))
        recorded = full.recorded
        self._analyse([Reminder, OutboundEmail])
        waiting = (
            Reminder.objects.filter(delivery="email", sent_at=None).count()
            + OutboundEmail.objects.filter(sent_at=None).count()
        )
        sample = self.send_sample or None

        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        ):

            def send():
                # Reminders first, then the emails to addresses without an
                # account, up to the sample in all (claimed, sent or not).
                result = reminders_send(limit=sample)
                taken = result.sent + result.failed + result.skipped
                if sample is None or taken < sample:
                    left = None if sample is None else sample - taken
                    result.add(mail.outbound_email_send(limit=left))
                return result.sent

            sent, send_s, send_q = self._timed(send, keep=False)

        # Fresh objects for each run: bulk_create sets their primary keys.
        floor_runs = [
            [
                Reminder(
                    recipient_id=self._any_user_id(),
                    step=Reminder.Step.OTHER,
                    subject_type="bench-floor",
                    subject_id=i,
                    title="Floor",
                    created_at=now,
                )
                for i in range(recorded)
            ]
            for _ in range(self.repeat)
        ]
        _, orm_floor_s, floor_q = self._timed(
            # One INSERT statement of every row (no batch size on PostgreSQL).
            lambda: Reminder.objects.bulk_create(floor_runs.pop()),
            keep=False,
        )

        # The same rows as one raw INSERT ... SELECT FROM unnest(arrays), the
        # statement the sweep itself uses: the cost of writing the rows alone.
        raw_rows = [
            (
                self._any_user_id(),
                Reminder.Step.OTHER,
                "bench-raw-floor",
                i,
                "Floor",
                "",
                "",
                None,
                now,
                0,
                "",
                "email",
            )
            for i in range(recorded)
        ]
        _, raw_s, raw_q = self._timed(
            lambda: _insert_ignoring_conflicts(Reminder, REMINDER_COLUMNS, raw_rows),
            keep=False,
        )
        floor_s = min(orm_floor_s, raw_s)

        # The floors above write one short title per row; the sweep's rows
        # carry their texts, which the title and body indexes (trigrams, for
        # the person search) take apart word by word. The sweep's own rows
        # written again by the same statement, under another subject and key.
        copies = self._copies(full)
        _, own_s, own_q = self._timed(
            lambda: [
                _insert_ignoring_conflicts(model, columns, rows)
                for model, columns, rows in copies
            ],
            keep=False,
        )

        out = self.stdout.write
        out("")
        out(f"Organisations            {n:>10,}")
        out(f"Reminders due            {full.due:>10,}")
        out(
            f"Reminders recorded       {recorded:>10,}  "
            f"({len(full.reminder_ids):,} in-app + email, "
            f"{len(full.email_ids):,} email only)"
        )
        out(f"Full sweep               {full_s:>10.3f} s  {full_q:>4} queries")
        out(
            f"No-op sweep              {noop_s:>10.3f} s  {noop_q:>4} queries  "
            f"(recorded {noop.recorded})"
        )
        out(f"Floor: bulk_create       {orm_floor_s:>10.3f} s  {floor_q:>4} queries")
        out(f"Floor: raw INSERT        {raw_s:>10.3f} s  {raw_q:>4} queries")
        out(
            f"The sweep's rows again   {own_s:>10.3f} s  {own_q:>4} queries  "
            "(the same rows and texts, raw INSERT)"
        )
        what = (
            f"all {waiting:,} waiting"
            if sample is None
            else f"the first {sample:,} of {waiting:,} waiting"
        )
        out(
            f"Sending                  {send_s:>10.3f} s  {send_q:>4} queries  "
            f"{sent:,} emails, {sent / send_s if send_s else 0:,.0f} emails/s  "
            f"(timed: {what})"
        )
        out(
            f"Sweep / floor            {full_s / floor_s:>10.2f}  "
            "(the faster floor; aim: within 3)"
        )
        out(
            f"Sweep / its rows again   {full_s / own_s if own_s else 0:>10.2f}  "
            "(what finding the rows adds to writing them)"
        )
        out(f"No-op / full sweep       {noop_s / full_s:>10.2f}  (aim: under 0.2)")
        out(f"Database                 {connection.vendor:>10}")
        if connection.vendor == "postgresql" and self.analyse:
            out("Statistics: tables analysed after seeding and after the sweep.")
        elif connection.vendor == "postgresql":
            out("Statistics: none gathered (--no-analyse).")
        out(f"Times: best of {self.repeat} runs each.")

    def _copies(self, full) -> list[tuple]:
        """The rows the kept full sweep recorded, as its inserts took them,
        under a subject type and key of their own so that none conflicts."""
        copies = []
        for model, columns, ids, at in (
            (Reminder, REMINDER_COLUMNS, full.reminder_ids, 2),
            (OutboundEmail, EMAIL_COLUMNS, full.email_ids, 6),
        ):
            if not ids:
                continue
            wanted = set(ids)
            rows = [
                (*row[:at], f"copy:{row[at]}"[: 32 if at == 2 else 255], *row[at + 1 :])
                for pk, *row in model.objects.filter(
                    pk__gte=min(ids), pk__lte=max(ids)
                ).values_list("pk", *columns)
                if pk in wanted
            ]
            copies.append((model, columns, rows))
        return copies

    def _any_user_id(self) -> int:
        if not hasattr(self, "_user_id"):
            self._user_id = get_user_model().objects.values_list("pk", flat=True)[0]
        return self._user_id
