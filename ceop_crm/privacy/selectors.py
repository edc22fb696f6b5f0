"""Reads of the data protection room: finding a person wherever they are held.

A person is looked for by name and by email. The search page matches names by
substring and emails exactly (both case-insensitively) in one statement over
every place of ``personal_data_sources`` and their history tables; on
PostgreSQL each branch reads a trigram or expression index (migration
0003_person_search_indexes), never a scan per table. The subject access export
and erasure match names exactly, and widen the person with the names and
addresses their own records hold (a contact found by email brings its name).
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import (
    BigIntegerField,
    CharField,
    DateTimeField,
    F,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Concat

from ceop_crm.privacy.models import (
    ErasureEvent,
    ReadLogEntry,
    ReadLogRecord,
    SubjectAccessExport,
)
from ceop_crm.privacy.sources import (
    PersonalDataSource,
    personal_data_source,
    personal_data_sources,
)

MIN_NAME_LENGTH = 3
SEARCH_LIMIT = 300
FULL_NAME = "_privacy_full_name"
SEARCH_COLUMN = "_privacy_match_"


@dataclass(frozen=True)
class PersonQuery:
    """Who to look for: names and addresses, matched exactly or (names) in part."""

    names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    exact: bool = True

    @classmethod
    def of(cls, *, name: str = "", email: str = "", exact: bool = True):
        name, email = " ".join(name.split()), email.strip()
        return cls(
            names=(name,) if len(name) >= MIN_NAME_LENGTH else (),
            emails=(email,) if email else (),
            exact=exact,
        )

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(t for t in (*self.names, *self.emails) if t)

    def __bool__(self) -> bool:
        return bool(self.names or self.emails)


def _any(conditions: Iterable[Q]) -> Q | None:
    combined = None
    for condition in conditions:
        combined = condition if combined is None else combined | condition
    return combined


def _name_lookup(query: PersonQuery) -> str:
    return "iexact" if query.exact else "icontains"


def _source_queryset(source: PersonalDataSource, *, history: bool = False) -> QuerySet:
    model = source.history_model if history else source.model
    queryset = model._default_manager.all()
    if source.full_name:
        first, last = source.full_name
        queryset = queryset.annotate(
            **{FULL_NAME: Concat(first, Value(" "), last, output_field=CharField())}
        )
    return queryset


def source_conditions(
    source: PersonalDataSource, query: PersonQuery, *, users: QuerySet | None
) -> list[Q]:
    """The conditions (any one will do) for rows of ``source`` naming the person:
    one for its own fields, one per link to a user account. Live and history
    rows have the same fields."""
    lookup = _name_lookup(query)
    names = [
        Q(**{f"{name_field}__{lookup}": name})
        for name_field in source.name_fields
        for name in query.names
    ]
    if source.full_name:
        names += [Q(**{f"{FULL_NAME}__{lookup}": name}) for name in query.names]
    by_name = _any(names)
    addresses = [f for f in source.email_fields if not source.is_json(f)]
    if by_name is not None and query.exact and query.emails and addresses:
        # Exporting or erasing someone known by their address: a row with the
        # same name and another address is somebody else.
        same_address = _any(
            Q(**{f"{f}__iexact": email}) for f in addresses for email in query.emails
        )
        no_address = Q(**dict.fromkeys(addresses, ""))
        by_name &= same_address | no_address
    own = [by_name] if by_name is not None else []
    for email_field in source.email_fields:
        for email in query.emails:
            if source.is_json(email_field):
                # A JSON list of addresses: the quoted address, whatever its case.
                own.append(Q(**{f"_json_{email_field}__icontains": f'"{email}"'}))
            else:
                own.append(Q(**{f"{email_field}__iexact": email}))
    by_text = _any(
        Q(**{f"{text_field}__icontains": term})
        for text_field in source.text_fields
        for term in query.terms
    )
    if by_text is not None and source.text_searched is not None:
        by_text &= source.text_searched
    own += [by_text] if by_text is not None else []
    conditions = [c for c in [_any(own)] if c is not None]
    if source.contact_fields:
        # The rows linked to the contacts that are the person. By id, not a
        # join: a history table keeps no many-to-many links, and its versions
        # of such a row concern the person as much.
        contact = personal_data_source("contact")
        by_contact = _any(source_conditions(contact, query, users=None))
        if by_contact is not None:
            contacts = contact.model._default_manager.filter(by_contact).values("pk")
            conditions += [
                Q(
                    id__in=source.model._default_manager.filter(
                        **{f"{link}__in": contacts}
                    ).values("pk")
                )
                for link in source.contact_fields
            ]
    if users is not None:
        conditions += [
            Q(**{f"{user_field}__in": users}) for user_field in source.user_fields
        ]
    return conditions


def source_condition(
    source: PersonalDataSource, query: PersonQuery, *, users: QuerySet | None
) -> Q | None:
    return _any(source_conditions(source, query, users=users))


def _annotated(source: PersonalDataSource, *, history: bool) -> QuerySet:
    queryset = _source_queryset(source, history=history)
    for email_field in source.email_fields:
        if source.is_json(email_field):
            queryset = queryset.annotate(
                **{f"_json_{email_field}": Cast(email_field, TextField())}
            )
    return queryset


def source_matches(
    source: PersonalDataSource,
    query: PersonQuery,
    *,
    history: bool = False,
    users: QuerySet | None = None,
    also_ids: Iterable[int] = (),
) -> QuerySet:
    """Rows of a place (its history table with ``history``) naming the person."""
    queryset = _annotated(source, history=history)
    conditions = source_conditions(source, query, users=users)
    ids = list(also_ids)
    if ids:
        conditions.append(Q(id__in=ids))
    if not conditions:
        return queryset.none()
    if len(conditions) == 1:
        return queryset.filter(conditions[0])
    # One branch per condition, joined by UNION: an OR across a text index and
    # a foreign key would make PostgreSQL scan the whole table.
    first, *rest = [
        _annotated(source, history=history).filter(c).order_by().values("pk")
        for c in conditions
    ]
    return queryset.filter(pk__in=first.union(*rest))


def user_matches(query: PersonQuery) -> QuerySet:
    """User accounts of the person (by name or address), as a subquery of ids."""
    user_source = next(s for s in personal_data_sources() if s.key == "user")
    return source_matches(user_source, query).values("pk")


# --- Person search (the page) -------------------------------------------------


def _search_branch(
    source: PersonalDataSource, condition: Q, *, history: bool
) -> QuerySet:
    queryset = _annotated(source, history=history).filter(condition)
    if source.full_name:
        person = F(FULL_NAME)
    elif source.name_fields:
        person = Concat(
            *_joined([F(f) for f in source.name_fields], " / "),
            output_field=TextField(),
        )
    else:
        person = Value("")
    email_field = source.email_fields[0] if source.email_fields else None
    address = Value("") if email_field is None else Cast(email_field, TextField())
    organisation = source.organisation
    columns = {
        "place": Value(source.key, output_field=TextField()),
        "object_ref": F("id") if history else F("pk"),
        "version_at": F("history_date")
        if history
        else Cast(Value(None), DateTimeField()),
        "org_ref": F(f"{organisation}__id")
        if organisation
        else Cast(Value(None), BigIntegerField()),
        "org_name": Cast(F(f"{organisation}__name"), TextField())
        if organisation
        else Value("", output_field=TextField()),
        "person": Cast(person, TextField()),
        "address": address,
    }
    # Prefixed: a place may have a field of the same name (an opt-out's address).
    named = {f"{SEARCH_COLUMN}{name}": value for name, value in columns.items()}
    return queryset.order_by().annotate(**named).values(*named)


def _joined(parts: list, separator: str) -> list:
    joined = []
    for index, part in enumerate(parts):
        if index:
            joined.append(Value(separator))
        joined.append(part)
    return joined if len(joined) > 1 else [*joined, Value("")]


def person_search_queryset(*, query: PersonQuery) -> QuerySet:
    """One statement over every place and history table naming the person."""
    users = user_matches(query)
    branches = []
    # A branch per condition: an OR across a text index and a foreign key
    # would make PostgreSQL scan the table.
    for source in personal_data_sources():
        for condition in source_conditions(source, query, users=users):
            branches.append(_search_branch(source, condition, history=False))
            if source.history_model is not None:
                branches.append(_search_branch(source, condition, history=True))
    first, *rest = branches
    return first.union(*rest, all=True)


@dataclass
class SearchMatch:
    source: PersonalDataSource
    object_id: int
    version_at: object
    organisation_id: int | None
    organisation_name: str
    person: str
    address: str

    @property
    def is_history(self) -> bool:
        return self.version_at is not None


def person_search(
    *, query: PersonQuery, limit: int = SEARCH_LIMIT
) -> list[SearchMatch]:
    """Where the person is held: current records first, then versions, by place."""
    if not query:
        return []
    sources = {s.key: s for s in personal_data_sources()}
    order = {key: index for index, key in enumerate(sources)}
    rows = [
        {key.removeprefix(SEARCH_COLUMN): value for key, value in row.items()}
        for row in person_search_queryset(query=query)[: limit + 1]
    ]
    seen = set()
    rows = [
        row
        for row in rows
        if (key := (row["place"], row["object_ref"], row["version_at"])) not in seen
        and not seen.add(key)
    ]
    matches = [
        SearchMatch(
            source=sources[row["place"]],
            object_id=row["object_ref"],
            version_at=row["version_at"],
            organisation_id=row["org_ref"],
            organisation_name=row["org_name"] or "",
            person=row["person"] or "",
            address=_address(row["address"]),
        )
        for row in rows
    ]
    matches.sort(
        key=lambda m: (
            m.is_history,
            order[m.source.key],
            m.object_id,
            m.version_at.timestamp() if m.version_at else 0,
        )
    )
    return matches


def _address(value: str | None) -> str:
    if not value:
        return ""
    if value.startswith("["):  # a JSON list of addresses
        try:
            return ", ".join(json.loads(value))
        except ValueError:
            return value
    return value


# --- Everything held about a person (export, erasure) ------------------------


@dataclass
class SourceRecords:
    source: PersonalDataSource
    live: list = field(default_factory=list)
    history: list = field(default_factory=list)


def person_widen(query: PersonQuery) -> PersonQuery:
    """The person with the other names and addresses their own records hold."""
    names, emails = set(query.names), set(query.emails)
    users = user_matches(query)
    for source in personal_data_sources():
        if not source.whole_row:
            continue
        value_fields = [*source.name_fields, *source.email_fields]
        if source.full_name:
            value_fields.append(FULL_NAME)
        if not value_fields:
            continue
        for row in source_matches(source, query, users=users).values(*value_fields):
            for key, value in row.items():
                if not value:
                    continue
                if key in source.email_fields:
                    if not source.is_json(key):
                        emails.add(value.strip())
                    continue
                name = " ".join(str(value).split())
                if name and name != source.erased_name:
                    names.add(name)
    names = {n for n in names if len(n) >= MIN_NAME_LENGTH}
    return PersonQuery(
        names=tuple(sorted(names)), emails=tuple(sorted(emails)), exact=True
    )


def person_records(*, query: PersonQuery) -> Iterator[SourceRecords]:
    """Each place's current rows and history versions concerning the person."""
    users = user_matches(query)
    for source in personal_data_sources():
        live = source_matches(source, query, users=users)
        records = SourceRecords(source=source, live=list(live.order_by("pk")))
        if source.history_model is not None:
            also = [r.pk for r in records.live] if source.whole_row else []
            records.history = list(
                source_matches(
                    source, query, history=True, users=users, also_ids=also
                ).order_by("id", "history_date")
            )
        yield records


def read_log_about_person(*, query: PersonQuery, record_ids: dict[str, list[int]]):
    """Reads of the person's data: of their records, or searches and exports naming them."""
    by_record = _any(
        Q(model=model, object_id__in=ids) for model, ids in record_ids.items() if ids
    )
    entry_ids = (
        ReadLogRecord.objects.filter(by_record).values("entry_id")
        if by_record is not None
        else ReadLogRecord.objects.none().values("entry_id")
    )
    by_query = _any(Q(query__icontains=term) for term in query.terms)
    condition = Q(pk__in=entry_ids)
    if by_query is not None:
        condition |= by_query
    return (
        ReadLogEntry.objects.filter(condition)
        .select_related("user")
        .order_by("created_at", "pk")
    )


# --- The room's own lists -----------------------------------------------------


def subject_access_export_list(*, user) -> QuerySet[SubjectAccessExport]:
    return SubjectAccessExport.objects.filter(requested_by=user).order_by(
        "-created_at", "-pk"
    )


def subject_access_export_get(*, pk: int, user) -> SubjectAccessExport:
    """An export the user asked for (DoesNotExist for anyone else's)."""
    return SubjectAccessExport.objects.get(pk=pk, requested_by=user)


def erasure_event_list() -> QuerySet[ErasureEvent]:
    return ErasureEvent.objects.select_related("actor").order_by("-created_at", "-pk")
