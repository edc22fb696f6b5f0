"""Reads of duplicate detection: the likely duplicates of a new organisation, and
the pairs of organisations already recorded that look like one.

On PostgreSQL names are compared by trigram similarity of their normalised key
(pg_trgm; the ``%`` operator is answered from the GIN index on ``name_key``).
On any other database (the embedded SQLite default) the candidates are narrowed
by the key's first and last letters and compared in Python with difflib.
Website and email domains match the organisation's website domain.
"""

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Q

from partners.dedupe.normalise import email_domain, name_key, website_domain
from partners.models import Organisation

# A name at least this similar (0 to 1) is a likely duplicate; the possible
# duplicates page lists pairs at least PAIR_THRESHOLD similar. Trigram
# similarity (PostgreSQL) and difflib's ratio (fallback) are on different
# scales: "Harbour Trust" and "Harbor Trust" score 0.67 and 0.96, and
# "Harbour Trust Foundation" 0.5 and 0.71.
NAME_THRESHOLD = 0.5
PAIR_THRESHOLD = 0.6
FALLBACK_NAME_THRESHOLD = 0.7
FALLBACK_PAIR_THRESHOLD = 0.85
# SQLite fallback: how many names sharing a prefix or suffix are compared.
CANDIDATE_LIMIT = 2000
# Keys shorter than this match only exactly (trigrams of "ab" say little).
MIN_FUZZY_KEY = 3


@dataclass
class LikelyDuplicate:
    organisation: Organisation
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _uses_trigrams() -> bool:
    return connection.vendor == "postgresql"


def _similar_keys_fallback(key: str, *, queryset, limit: int) -> dict[int, float]:
    """{organisation id: similarity} of names like ``key`` (SQLite): candidates
    sharing the key's first or last letters, compared with difflib."""
    if len(key) < MIN_FUZZY_KEY:
        return dict.fromkeys(
            queryset.filter(name_key=key).values_list("pk", flat=True), 1.0
        )
    candidates = queryset.filter(
        Q(name_key=key)
        | Q(name_key__startswith=key[:MIN_FUZZY_KEY])
        | Q(name_key__endswith=key[-MIN_FUZZY_KEY:])
    ).values_list("pk", "name_key")[:CANDIDATE_LIMIT]
    scored = []
    for pk, other in candidates:
        ratio = difflib.SequenceMatcher(None, key, other).ratio()
        if ratio >= FALLBACK_NAME_THRESHOLD:
            scored.append((ratio, pk))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return {pk: ratio for ratio, pk in scored[:limit]}


def _candidates_fallback(key, domains, queryset, limit):
    scores = _similar_keys_fallback(key, queryset=queryset, limit=limit) if key else {}
    by_domain = (
        set(queryset.filter(domain__in=domains).values_list("pk", flat=True)[:limit])
        if domains
        else set()
    )
    organisations = Organisation.objects.select_related("owner").in_bulk(
        set(scores) | by_domain
    )
    return [
        (organisation, scores.get(pk)) for pk, organisation in organisations.items()
    ]


def _wanted(name: str, website: str, email: str) -> tuple[str, set[str]]:
    key = name_key(name) if name and name.strip() else ""
    return key, {website_domain(website), email_domain(email)} - {""}


def _ranked(
    candidates, *, key: str, domains: set[str], website: str, limit: int
) -> list[LikelyDuplicate]:
    """Candidates ((organisation, name similarity or None) pairs) as likely
    duplicates, each with its score and reasons, best first."""
    found = []
    for organisation, similarity in candidates:
        score, reasons = similarity or 0.0, []
        if organisation.name_key == key:
            reasons.append(
                "same name once case, punctuation and legal form are set aside"
            )
            score = 1.0
        elif similarity is not None:
            reasons.append(f"similar name ({round(score * 100)}%)")
        domain = organisation.domain
        if domain and domain in domains:
            if domain == website_domain(website):
                reasons.append(f"same website domain ({domain})")
            else:
                reasons.append(f"email domain is its website's ({domain})")
            score = max(score, 0.9)
        found.append(LikelyDuplicate(organisation, score, reasons))
    found.sort(key=lambda d: (-d.score, d.organisation.name, d.organisation.pk))
    return found[:limit]


def organisation_likely_duplicates(
    *,
    name: str = "",
    website: str = "",
    email: str = "",
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[LikelyDuplicate]:
    """Organisations that may be the one described: by name, website or email domain.

    Used wherever an organisation is created (workspace form, public approach
    triage, import). Best matches first; merged records are never offered.
    On PostgreSQL one query (_CHECK_SQL).
    """
    key, domains = _wanted(name, website, email)
    if not key and not domains:
        return []
    if _uses_trigrams():
        candidates = _candidates_postgres([(key, domains, exclude_pk)], limit)[0]
    else:
        queryset = Organisation.objects.all()
        if exclude_pk is not None:
            queryset = queryset.exclude(pk=exclude_pk)
        candidates = _candidates_fallback(key, domains, queryset, limit)
    return _ranked(candidates, key=key, domains=domains, website=website, limit=limit)


# The duplicate check in one query, of one new organisation or of many: for
# each (its key, up to two domains, the id to leave out) the best candidates,
# each found through an index (the trigram GIN index answers the name's ``%``,
# at least pg_trgm.similarity_threshold alike: the connection sets it to
# NAME_THRESHOLD, as pg_trgm's 0.3 would hand back several times the names,
# each read and thrown away; the unique index an exact short key; the partial
# domain index the domains). Only the columns the check uses are read.
_CHECK_SQL = """
SELECT q.i, c.id, c.name, c.name_key, c.domain, c.sim
FROM unnest(%s::text[], %s::text[], %s::text[], %s::bigint[])
     WITH ORDINALITY AS q(key, d1, d2, ex, i)
CROSS JOIN LATERAL (
    SELECT * FROM (
        SELECT o.id, o.name, o.name_key, o.domain,
               CASE WHEN length(q.key) >= {min_fuzzy}
                    THEN similarity(o.name_key, q.key)
                    WHEN o.name_key = q.key THEN 1.0 ELSE 0.0 END AS sim,
               CASE WHEN o.domain IN (q.d1, q.d2) THEN 0.9 ELSE 0.0 END AS by_domain
        FROM {table} o
        WHERE o.merged_into_id IS NULL AND o.id <> q.ex
          AND ((length(q.key) >= {min_fuzzy} AND o.name_key %% q.key
                AND similarity(o.name_key, q.key) >= %s)
               OR (q.key <> '' AND o.name_key = q.key)
               OR (o.domain <> '' AND o.domain IN (q.d1, q.d2)))
    ) found
    ORDER BY GREATEST(found.sim, found.by_domain) DESC, found.name, found.id
    LIMIT %s
) c
"""
_CHECK_FIELDS = ("id", "name", "name_key", "domain")
_CONCRETE = Organisation._meta.concrete_fields


def duplicate_candidates_sql(
    asked: list[tuple[str, set[str], int | None]], limit: int
) -> tuple[str, list]:
    """The query (PostgreSQL) and its parameters that find the candidates of each
    (key, domains, id to leave out), ``limit`` each, best first."""
    sql = _CHECK_SQL.format(table=Organisation._meta.db_table, min_fuzzy=MIN_FUZZY_KEY)
    keys, first, second, exclude = [], [], [], []
    for key, domains, exclude_pk in asked:
        ordered = [*sorted(domains), None, None]
        keys.append(key)
        first.append(ordered[0])
        second.append(ordered[1])
        exclude.append(exclude_pk or 0)
    return sql, [keys, first, second, exclude, NAME_THRESHOLD, limit]


def _candidates_postgres(asked, limit):
    sql, params = duplicate_candidates_sql(asked, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    db = connection.alias
    candidates = [[] for _ in asked]
    for index, *values, similarity in found:
        # The organisation with the columns read; any other is read if asked for.
        read = dict(zip(_CHECK_FIELDS, values, strict=True))
        names = [f.attname for f in _CONCRETE if f.attname in read]
        organisation = Organisation.from_db(db, names, [read[n] for n in names])
        similarity = float(similarity)
        candidates[index - 1].append(
            (organisation, similarity if similarity >= NAME_THRESHOLD else None)
        )
    return candidates


def _candidates_many_fallback(asked, limit):
    """The fallback's candidates of many new organisations, read together."""
    wanted = Q(pk__in=[])
    for key, domains, _ in asked:
        if key:
            wanted |= Q(name_key=key)
        if len(key) >= MIN_FUZZY_KEY:
            wanted |= Q(name_key__startswith=key[:MIN_FUZZY_KEY])
            wanted |= Q(name_key__endswith=key[-MIN_FUZZY_KEY:])
        if domains:
            wanted |= Q(domain__in=sorted(domains))
    rows = list(
        Organisation.objects.filter(wanted)
        .order_by("pk")
        .values_list("pk", "name_key", "domain")[: CANDIDATE_LIMIT * len(asked)]
    )
    chosen = []
    for key, domains, exclude_pk in asked:
        others = [r for r in rows if r[0] != exclude_pk]
        if len(key) < MIN_FUZZY_KEY:
            scores = {pk: 1.0 for pk, other, _ in others if key and other == key}
        else:
            near = [
                (pk, other)
                for pk, other, _ in others
                if other == key
                or other.startswith(key[:MIN_FUZZY_KEY])
                or other.endswith(key[-MIN_FUZZY_KEY:])
            ][:CANDIDATE_LIMIT]
            scored = sorted(
                (
                    (-ratio, pk)
                    for pk, other in near
                    if (ratio := difflib.SequenceMatcher(None, key, other).ratio())
                    >= FALLBACK_NAME_THRESHOLD
                ),
            )[:limit]
            scores = {pk: -ratio for ratio, pk in scored}
        by_domain = [pk for pk, _, domain in others if domain and domain in domains]
        chosen.append((scores, set(by_domain[:limit])))
    organisations = Organisation.objects.select_related("owner").in_bulk(
        {pk for scores, by_domain in chosen for pk in (*scores, *by_domain)}
    )
    return [
        [(organisations[pk], scores.get(pk)) for pk in sorted({*scores, *by_domain})]
        for scores, by_domain in chosen
    ]


def organisation_likely_duplicates_many(
    *, wanted: list[dict], limit: int = 5
) -> list[list[LikelyDuplicate]]:
    """``organisation_likely_duplicates`` of each of many new organisations
    (dicts of its arguments), in two queries whatever their number: the check
    of a chunk of imported rows."""
    asked = []
    for item in wanted:
        key, domains = _wanted(
            item.get("name", ""), item.get("website", ""), item.get("email", "")
        )
        asked.append((key, domains, item.get("exclude_pk")))
    if not any(key or domains for key, domains, _ in asked):
        return [[] for _ in asked]
    if _uses_trigrams():
        candidates = _candidates_postgres(asked, limit)
    else:
        candidates = _candidates_many_fallback(asked, limit)
    return [
        _ranked(
            found,
            key=key,
            domains=domains,
            website=item.get("website", ""),
            limit=limit,
        )
        if key or domains
        else []
        for found, (key, domains, _), item in zip(
            candidates, asked, wanted, strict=True
        )
    ]


@dataclass
class DuplicatePair:
    first: Organisation
    second: Organisation
    score: float
    reason: str

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _name_pairs_postgres(threshold: float, limit: int) -> list[tuple[int, int, float]]:
    table = Organisation._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # The % operator's threshold decides what the index returns.
        cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [threshold])
        cursor.execute(
            f"""
            SELECT a.id, b.id, similarity(a.name_key, b.name_key) AS score
            FROM {table} a JOIN {table} b
              ON a.name_key %% b.name_key AND a.id < b.id
            WHERE a.merged_into_id IS NULL AND b.merged_into_id IS NULL
            ORDER BY score DESC, a.id, b.id
            LIMIT %s
            """,  # noqa: S608 - the table name is the model's, not input
            [limit],
        )
        return [(a, b, float(score)) for a, b, score in cursor.fetchall()]


def _name_pairs_fallback(threshold: float, limit: int) -> list[tuple[int, int, float]]:
    blocks: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, key in Organisation.objects.values_list("pk", "name_key").order_by("pk"):
        blocks[key[:MIN_FUZZY_KEY]].append((pk, key))
    pairs = []
    for block in blocks.values():
        block = block[:CANDIDATE_LIMIT]
        for i, (first, first_key) in enumerate(block):
            # difflib caches what it knows of the second sequence.
            matcher = difflib.SequenceMatcher(None, "", first_key)
            for second, second_key in block[i + 1 :]:
                matcher.set_seq1(second_key)
                ratio = matcher.ratio()
                if ratio >= threshold:
                    pairs.append((first, second, ratio))
    pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
    return pairs[:limit]


def organisation_duplicate_pairs(*, limit: int = 200) -> list[DuplicatePair]:
    """Pairs of organisations in use that look like one: similar names or one website."""
    if _uses_trigrams():
        name_pairs = _name_pairs_postgres(PAIR_THRESHOLD, limit)
    else:
        name_pairs = _name_pairs_fallback(FALLBACK_PAIR_THRESHOLD, limit)
    pairs: dict[tuple[int, int], tuple[float, str]] = {
        (a, b): (score, f"similar names ({round(score * 100)}%)")
        for a, b, score in name_pairs
    }
    shared = (
        Organisation.objects.exclude(domain="")
        .values("domain")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("domain", flat=True)[:limit]
    )
    by_domain: dict[str, list[int]] = defaultdict(list)
    for pk, domain in (
        Organisation.objects.filter(domain__in=list(shared))
        .order_by("pk")
        .values_list("pk", "domain")
    ):
        by_domain[domain].append(pk)
    for domain, ids in by_domain.items():
        for i, first in enumerate(ids):
            for second in ids[i + 1 :]:
                score, reason = pairs.get((first, second), (0.0, ""))
                reason = f"{reason}; " if reason else ""
                pairs[(first, second)] = (
                    max(score, 0.9),
                    f"{reason}same website domain ({domain})",
                )
    ids = {pk for pair in pairs for pk in pair}
    organisations = Organisation.objects.select_related("owner").in_bulk(ids)
    result = [
        DuplicatePair(organisations[a], organisations[b], score, reason)
        for (a, b), (score, reason) in pairs.items()
    ]
    result.sort(key=lambda p: (-p.score, p.first.name, p.second.name))
    return result[:limit]


def organisation_merged_target(*, pk: int) -> Organisation | None:
    """The organisation a merged record now lives in (following merges of merges)."""
    found = (
        Organisation.all_objects.filter(pk=pk, merged_into__isnull=False)
        .only("pk", "merged_into")
        .first()
    )
    seen = set()
    while found is not None and found.merged_into_id is not None:
        if found.pk in seen:  # pragma: no cover - a merge never makes a loop
            return None
        seen.add(found.pk)
        found = Organisation.all_objects.get(pk=found.merged_into_id)
    return found


def organisation_merge_list(*, organisation: Organisation):
    """The merges into an organisation, newest first."""
    from partners.dedupe.models import OrganisationMerge

    return OrganisationMerge.objects.filter(target=organisation).select_related(
        "merged_by"
    )
