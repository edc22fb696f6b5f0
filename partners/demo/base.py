"""The shared state, helpers and bulk writing of the demo data builder.

Every row is made in Python first and written in batches, parents before
children, each with its ``simple_history`` row ("Demo data"). On PostgreSQL the
rows get their ids from the table's sequence as they are made (a block of ids
reserved at a time) and are written with COPY, which skips the ORM's per-value
preparation of ``bulk_create`` (most of the writing time at 10,000
organisations); elsewhere (SQLite, the small sizes of the tests) with
``bulk_create``.
"""

import csv
import datetime as dt
import io
import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, models
from django.db.models import signals
from django.db.models.base import ModelState
from django.utils import timezone

from partners.models import Contribution, MoU, Proposal, Sector

BATCH_SIZE = 2000
# Ids reserved from a table's sequence at a time, and rows per COPY.
ID_BLOCK = 10_000
_NULL = "\\N"  # COPY's NULL: no demo text is this
COPY_ROWS = 20_000
CHANGE_REASON = "Demo data"
DUE_DILIGENCE_YEARS = 3
# Associations older than this were agreed before the system was in use: they
# have no recorded "new association" decision (later moves are all recorded).
RECORDED_SINCE_DAYS = 540

SP, P, OS, SUPPLIER = "strategic-partner", "partner", "official-supporter", "supplier"
ENDED, ASSESSMENT, PROSPECT = "ended", "assessment", "prospect"
# Share of the organisations in each situation.
CATEGORY_WEIGHTS = {
    SP: 6,
    P: 14,
    OS: 26,
    SUPPLIER: 14,
    ENDED: 8,
    ASSESSMENT: 12,
    PROSPECT: 20,
}
SECTOR_WEIGHTS = {
    SP: (6, 1, 1, 1, 2, 0),
    P: (5, 2, 2, 2, 2, 1),
    OS: (4, 3, 1, 2, 1, 2),
    SUPPLIER: (1, 0, 0, 0, 0, 0),
    ENDED: (4, 2, 1, 1, 1, 1),
    ASSESSMENT: (4, 2, 1, 2, 1, 1),
    PROSPECT: (4, 3, 1, 2, 1, 2),
}
SECTORS = tuple(Sector.values)  # same order as the weights above

Row = models.Model


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def allocate(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split ``total`` by weight, giving every key at least one when there is room."""
    keys = list(weights)
    counts = dict.fromkeys(keys, 0)
    if total >= len(keys):
        counts = dict.fromkeys(keys, 1)
    rest = total - sum(counts.values())
    weight_sum = sum(weights.values())
    for key in keys:
        counts[key] += rest * weights[key] // weight_sum
    counts[OS if OS in counts else keys[0]] += total - sum(counts.values())
    return counts


class DemoBase:
    """State and helpers shared by the parts of the builder."""

    def __init__(self, *, seed: int, today: dt.date | None = None) -> None:
        # Repeatable fictitious data, not secrets.
        self.rng = random.Random(seed)  # noqa: S311
        self.today = today or timezone.localdate()
        self.rows: dict[type[Row], list[Row]] = defaultdict(list)
        self.counts: dict[str, int] = {}
        # (parent row, related id) pairs for many-to-many links, written after parents.
        self.mou_objectives: list[tuple[MoU, int]] = []
        self.contribution_areas: list[tuple[Contribution, int]] = []
        self.contribution_objectives: list[tuple[Contribution, int]] = []
        self.proposal_areas: list[tuple[Proposal, int]] = []
        # When a row was made (its created_at): a proposal submitted, an MoU
        # drafted, a tier move asked; set after the rows are written.
        self.created_dates: list[tuple[Row, dt.datetime]] = []
        # PostgreSQL: ids given as rows are made, rows written with COPY.
        self.copying = connection.vendor == "postgresql"
        self.free_ids: dict[type[Row], Iterable[int]] = {}

    # -- helpers -------------------------------------------------------------

    def add(self, row: Row) -> Row:
        if self.copying and row.pk is None:
            row.pk = self.next_id(type(row))
        self.rows[type(row)].append(row)
        return row

    def new(self, model: type[Row], **values: Any) -> Row:
        """``add(model(**values))``, made by ``make``."""
        return self.add(self.make(model, **values))

    @staticmethod
    def make(model: type[Row], **values: Any) -> Row:
        """``model(**values)`` without Model.__init__ (half the planning time at
        10,000 organisations): the row's attributes are set as __init__ would
        set them (field defaults, a foreign key's id and its cached row);
        models with pre_init or post_init receivers are made the usual way."""
        maker = _makers.get(model)
        if maker is None:
            maker = _makers[model] = _RowMaker(model)
        return maker.make(values)

    def next_id(self, model: type[Row]) -> int:
        """The next id of ``model``'s table, from a block reserved in its sequence."""
        pk = next(self.free_ids.get(model, iter(())), None)
        if pk is None:
            self.reserve_ids([model])
            pk = next(self.free_ids[model])
        return pk

    def reserve_ids(self, models_: list[type[Row]]) -> None:
        """Reserve a block of ID_BLOCK ids in each table's sequence, in one query."""
        if not self.copying:
            return
        sql = ", ".join(
            [
                "setval(pg_get_serial_sequence(%s, %s), "
                "nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)"
            ]
            * len(models_)
        )
        params = []
        for model in models_:
            params += [model._meta.db_table, model._meta.pk.column] * 2 + [ID_BLOCK]
        with connection.cursor() as cursor:
            # nextval + ID_BLOCK - 1: the block's ids are this transaction's.
            cursor.execute(f"SELECT {sql}", params)
            lasts = cursor.fetchone()
        for model, last in zip(models_, lasts, strict=True):
            self.free_ids[model] = iter(range(last - ID_BLOCK + 1, last + 1))

    def between(self, first: dt.date, last: dt.date) -> dt.date:
        if last <= first:
            return first
        return first + days(self.rng.randint(0, (last - first).days))

    def ago(self, low: int, high: int) -> dt.date:
        return self.today - days(self.rng.randint(low, high))

    def moment(self, day: dt.date, hour: int = 10) -> dt.datetime:
        """A time on the day, never later than now: nothing that happened today
        is dated this afternoon when the data is made this morning."""
        return min(
            timezone.make_aware(dt.datetime.combine(day, dt.time(hour))),
            timezone.now(),
        )

    def made_on(self, row: Row, day: dt.date, hour: int = 10) -> None:
        """Date the row's creation (a proposal submitted, an MoU drafted, a tier
        move asked), never after today. COPY writes it as it is; bulk_create
        sets created_at to the moment of writing, so date_creations puts it back."""
        row.created_at = self.moment(min(day, self.today), hour)
        self.created_dates.append((row, row.created_at))

    @staticmethod
    def lead_days(text: str, low: int, spread: int) -> dt.timedelta:
        """A repeatable lead time from a text, taking nothing from the random
        sequence (so the rest of the data stays as it was for a seed)."""
        return days(low + sum(map(ord, text)) % spread)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def sample(self, population: list[int], k: int) -> list[int]:
        return self.rng.sample(population, min(k, len(population)))

    def full_name(self, user: AbstractBaseUser | None) -> str:
        if user is None:
            return ""
        return f"{user.first_name} {user.last_name}".strip() or user.get_username()

    # -- writing -------------------------------------------------------------

    def write(self, model: type[Row]) -> list[Row]:
        rows = self.rows.pop(model, [])
        if self.copying:
            for row in rows:
                if row.pk is None:
                    row.pk = self.next_id(model)
            for start in range(0, len(rows), COPY_ROWS):
                self.copy(model, rows[start : start + COPY_ROWS])
                batch = rows[start : start + COPY_ROWS]
                self.history(
                    model.objects.filter(
                        pk__gte=min(r.pk for r in batch),
                        pk__lte=max(r.pk for r in batch),
                    )
                )
            self.counts[str(model._meta.verbose_name_plural)] = len(rows)
            return rows
        # A row pointing at another of its own model (a renewed MoU) waits for it.
        for group in (
            [r for r in rows if not getattr(r, "renewal_of", None)],
            [r for r in rows if getattr(r, "renewal_of", None)],
        ):
            if group:
                model.objects.bulk_create(group, batch_size=BATCH_SIZE)
                self.history(
                    model.objects.filter(
                        pk__gte=group[0].pk, pk__lte=max(r.pk for r in group)
                    )
                )
        self.counts[str(model._meta.verbose_name_plural)] = len(rows)
        return rows

    def history(self, queryset: models.QuerySet, history_type: str = "+") -> None:
        """Write the simple_history rows of ``queryset`` in one INSERT ... SELECT.

        The same rows bulk_history_create would make ("Demo data", no user), but
        copied in the database: building a Python object per history row took
        a third of the time at 10,000 organisations. The rows just created fill
        a range of ids; nothing else writes these tables while the demo loads.
        """
        model = queryset.model
        if not hasattr(model, "history"):
            return
        history = model.history.model
        qn = connection.ops.quote_name
        columns = ", ".join(qn(f.column) for f in history.tracked_fields)
        select, params = queryset.order_by().values("pk").query.sql_with_params()
        # Identifiers come from model metadata, quoted; values are parameters.
        sql = (
            f"INSERT INTO {qn(history._meta.db_table)} "  # noqa: S608
            f"({columns}, {qn('history_date')}, {qn('history_change_reason')}, "
            f"{qn('history_type')}) "
            f"SELECT {columns}, %s, %s, %s FROM {qn(model._meta.db_table)} "
            f"WHERE {qn(model._meta.pk.column)} IN ({select})"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [now, CHANGE_REASON, history_type, *params])

    def copy(self, model: type[Row], rows: list[Row]) -> None:
        """Write ``rows`` (their ids given) in one COPY, every concrete column.

        What bulk_create would write: auto_now columns get the moment of
        writing, auto_now_add ones too unless the row was dated (made_on), a
        foreign key the id of the row it points at.
        """
        if not rows:
            return
        now = timezone.now()
        columns, getters = [], []
        for field in model._meta.concrete_fields:
            columns.append(connection.ops.quote_name(field.column))
            getters.append(_getter(field, now))
        out = io.StringIO()
        # Every value is text; None is written as \\N, COPY's NULL here.
        csv.writer(out, lineterminator="\n").writerows(
            [
                [_NULL if v is None else v for v in (get(row) for get in getters)]
                for row in rows
            ]
        )
        out.seek(0)
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {table} ({', '.join(columns)}) "
                f"FROM STDIN WITH (FORMAT csv, NULL '{_NULL}')",
                out,
            )

    def link(
        self, field: Any, pairs: list[tuple[Row, int]], source: str, target: str
    ) -> None:
        through = field.through
        if self.copying:
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows(
                sorted({(row.pk, pk) for row, pk in pairs})
            )
            out.seek(0)
            qn = connection.ops.quote_name
            columns = ", ".join(
                qn(through._meta.get_field(name).column) for name in (source, target)
            )
            with connection.cursor() as cursor:
                cursor.copy_expert(
                    f"COPY {qn(through._meta.db_table)} ({columns}) "
                    "FROM STDIN WITH (FORMAT csv)",
                    out,
                )
            return
        through.objects.bulk_create(
            (
                through(**{f"{source}_id": row.pk, f"{target}_id": pk})
                for row, pk in pairs
            ),
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )


def _getter(field: models.Field, now: dt.datetime) -> Callable[[Row], str | None]:
    """How COPY's text of one column is read from a row (None for NULL)."""
    attname = field.attname
    if getattr(field, "auto_now", False):
        stamp = now.isoformat()
        return lambda row: stamp
    if isinstance(field, models.BooleanField):
        text: Callable[[Any], str] = lambda v: "t" if v else "f"  # noqa: E731
    elif isinstance(field, models.DateField):  # and DateTimeField
        text = lambda v: v.isoformat()  # noqa: E731
    elif isinstance(field, models.JSONField):
        text = json.dumps
    else:
        text = str
    if getattr(field, "auto_now_add", False):
        stamp = now.isoformat()

        def dated(row: Row) -> str:
            value = getattr(row, attname)
            return stamp if value is None else value.isoformat()

        return dated
    if field.is_relation:
        name = field.name

        def related(row: Row) -> str | None:
            value = getattr(row, attname)
            if value is None:
                # Made before its parent had an id (bulk_create does the same).
                parent = row._state.fields_cache.get(name)
                value = parent.pk if parent is not None else None
            return None if value is None else str(value)

        return related

    def plain(row: Row) -> str | None:
        value = getattr(row, attname)
        return None if value is None else text(value)

    return plain


class _RowMaker:
    """Makes unsaved rows of one model as Model.__init__ does, in less time."""

    def __init__(self, model: type[Row]) -> None:
        self.model = model
        self.usual = signals.post_init.has_listeners(
            model
        ) or signals.pre_init.has_listeners(model)
        self.static: dict[str, Any] = {}
        self.dynamic: list[tuple[str, Callable[[], Any]]] = []
        self.attnames: dict[str, str] = {}
        self.relations: set[str] = set()
        for field in model._meta.concrete_fields:
            self.attnames[field.name] = field.attname
            self.attnames[field.attname] = field.attname
            if field.is_relation:
                self.relations.add(field.name)
            if field.has_default() and callable(field.default):
                self.dynamic.append((field.attname, field.default))
            else:
                self.static[field.attname] = field.get_default()

    def make(self, values: dict[str, Any]) -> Row:
        model = self.model
        if self.usual:
            return model(**values)
        row = model.__new__(model)
        state = row._state = ModelState()
        attrs = row.__dict__
        attrs.update(self.static)
        for attname, default in self.dynamic:
            attrs[attname] = default()
        for name, value in values.items():
            attname = self.attnames.get(name)
            if attname is None:
                raise TypeError(f"{model.__name__} has no field {name!r}.")
            if name in self.relations and attname != name:
                attrs[attname] = None if value is None else value.pk
                if value is not None:
                    state.fields_cache[name] = value
            else:
                attrs[attname] = value
        return row


_makers: dict[type[Row], _RowMaker] = {}
