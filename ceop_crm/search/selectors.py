"""Reads of the global search: a few hits per kind, best first."""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db import connection, transaction
from django.db.models import Case, FloatField, Q, QuerySet, Value, When
from django.urls import reverse

from activities.models import Activity
from ceop_crm.api.scoping import scope_for_user
from ceop_crm.roles import is_staff_member
from ceop_crm.search.vectors import CONFIG, vector
from partners.dedupe.models import OrganisationMerge
from partners.dedupe.normalise import name_key
from partners.models import Contact, MoU, Organisation, Proposal, RelationshipIssue

PER_KIND = 5
MIN_LENGTH = 2
MAX_WORDS = 6


@dataclass
class Hit:
    label: str
    detail: str
    url: str
    rank: float = 0.0
    contact_id: int | None = None  # a person shown: the view logs the read


@dataclass
class Group:
    kind: str
    slug: str
    hits: list[Hit] = field(default_factory=list)


def search_words(text: str) -> list[str]:
    """The words of a query: letters and digits only, lower case, a few of them."""
    return [w[:40] for w in re.findall(r"\w+", (text or "").lower())][:MAX_WORDS]


def _uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def _prefix_query(words: list[str]) -> SearchQuery:
    """Every word, the last one as a prefix (typed so far): "harb tru" → harb:* & tru:*."""
    raw = " & ".join(f"{w}:*" for w in words)
    return SearchQuery(raw, search_type="raw", config=CONFIG)


def _matching(queryset: QuerySet, field_name: str, words: list[str]) -> QuerySet:
    """Rows whose field holds every word, with a ``rank`` (higher is better)."""
    if _uses_full_text():
        query = _prefix_query(words)
        return (
            queryset.annotate(_v=vector(field_name))
            .filter(_v=query)
            .annotate(rank=SearchRank(vector(field_name), query))
        )
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field_name}__icontains": word})
    phrase = " ".join(words)
    return queryset.filter(condition).annotate(
        rank=Case(
            When(**{f"{field_name}__iexact": phrase}, then=Value(3.0)),
            When(**{f"{field_name}__istartswith": phrase}, then=Value(2.0)),
            default=Value(1.0),
            output_field=FloatField(),
        )
    )


# pg_trgm's default: what a misspelt name in the search box still finds.
SEARCH_SIMILARITY = 0.3


def _scoped(queryset: QuerySet, user, organisation_field: str) -> QuerySet:
    return scope_for_user(queryset, user=user, organisation_field=organisation_field)


def organisation_query(text: str, words: list[str], organisations=None) -> QuerySet:
    """Organisations matching, best first, as (pk, name, rank)."""
    if organisations is None:
        organisations = Organisation.objects.all()
    if _uses_full_text():
        key = name_key(text)
        query = _prefix_query(words)
        rows = (
            organisations.annotate(_v=vector("name"))
            .filter(Q(_v=query) | Q(name_key__trigram_similar=key))
            .annotate(
                rank=SearchRank(vector("name"), query)
                + TrigramSimilarity("name_key", key)
            )
        )
    else:
        rows = _matching(organisations, "name", words)
    return rows.order_by("-rank", "name", "pk").values_list("pk", "name", "rank")[
        :PER_KIND
    ]


def _organisations(user, text: str, words: list[str]) -> list[Hit]:
    url = reverse("partners:organisation_detail", args=[0]).replace("/0/", "/{}/")
    rows = organisation_query(
        text, words, _scoped(Organisation.objects.all(), user, "pk")
    )
    if _uses_full_text():
        # The connection's threshold (0.5) suits duplicate detection; a search
        # forgives more of a misspelling, as pg_trgm's default does.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SET LOCAL pg_trgm.similarity_threshold = %s", [SEARCH_SIMILARITY]
            )
            rows = list(rows)
    hits = {
        pk: Hit(name, "Organisation", url.format(pk), rank) for pk, name, rank in rows
    }
    # A name the organisation had before a merge leads to the one kept.
    merges = _scoped(OrganisationMerge.objects.all(), user, "target")
    for word in words:
        merges = merges.filter(merged_name__icontains=word)
    for target_id, target_name, former in merges.values_list(
        "target_id", "target__name", "merged_name"
    ).order_by("merged_name")[:PER_KIND]:
        if target_id not in hits:
            hits[target_id] = Hit(
                target_name, f"Formerly {former}", url.format(target_id), 0.5
            )
    return sorted(hits.values(), key=lambda h: -h.rank)[:PER_KIND]


def _simple(queryset: QuerySet, field_name: str, words: list[str], make) -> list[Hit]:
    rows = _matching(queryset, field_name, words).order_by("-rank", "-pk")
    return [make(row) for row in rows[:PER_KIND]]


def global_search(*, user, text: str) -> list[Group]:
    """What the user may see that matches, grouped by kind, best first in each."""
    words = search_words(text)
    if len("".join(words)) < MIN_LENGTH:
        return []
    groups = [
        Group("Organisations", "organisations", _organisations(user, text, words))
    ]
    contacts = _scoped(Contact.objects.all(), user, "organisation").select_related(
        "organisation"
    )
    groups.append(
        Group(
            "Contacts",
            "contacts",
            _simple(
                contacts,
                "name",
                words,
                lambda c: Hit(
                    c.name,
                    f"{c.job_title + ', ' if c.job_title else ''}{c.organisation.name}",
                    reverse("partners:organisation_detail", args=[c.organisation_id])
                    + "#contacts",
                    c.rank,
                    c.pk,
                ),
            ),
        )
    )
    for kind, slug, model, field_name, url_name in (
        ("MoUs", "mous", MoU, "title", "partners:mou_detail"),
        ("Proposals", "proposals", Proposal, "title", "partners:proposal_detail"),
        ("Issues", "issues", RelationshipIssue, "title", "partners:issue_detail"),
    ):
        rows = _scoped(model.objects.all(), user, "organisation").select_related(
            "organisation"
        )
        groups.append(
            Group(
                kind,
                slug,
                _simple(
                    rows,
                    field_name,
                    words,
                    lambda r, url_name=url_name, field_name=field_name: Hit(
                        getattr(r, field_name),
                        r.organisation.name if r.organisation_id else "",
                        reverse(url_name, args=[r.pk]),
                        r.rank,
                    ),
                ),
            )
        )
    if is_staff_member(user):
        activities = Activity.objects.select_related("organisation")
        groups.append(
            Group(
                "Activities",
                "activities",
                _simple(
                    activities,
                    "summary",
                    words,
                    lambda a: Hit(
                        a.headline,
                        f"{a.get_kind_display()} · {a.organisation.name} · "
                        f"{a.occurred_at:%d/%m/%Y}",
                        reverse(
                            "partners:organisation_detail", args=[a.organisation_id]
                        )
                        + "#activities",
                        a.rank,
                    ),
                ),
            )
        )
    return [g for g in groups if g.hits]
