"""A list's rows as a download: the same filters, order and chosen columns as
the page, read in chunks and written by the reports' writers (streamed CSV,
write-only XLSX); past the reports' threshold, built by the worker."""

from collections.abc import Iterator

from django.http import QueryDict
from django.utils import timezone

from ceop_crm.lists.registry import list_spec
from ceop_crm.lists.spec import Listing, ListSpec, rows_in_chunks
from partners.downloads.sources import ReportRows
from partners.downloads.writers import file_stem

# A list's background download is a report download under this slug prefix.
SLUG_PREFIX = "list-"


def list_source(
    *, spec: ListSpec, user, params: QueryDict, listing: Listing | None = None
) -> ReportRows:
    """The list as the reports' downloads read them (one pass, in order)."""
    if listing is None:
        listing = spec.listing(user=user, params=params, today=timezone.localdate())
    columns = spec.chosen_columns(params)

    def rows() -> Iterator[tuple[list, bool]]:
        for row in rows_in_chunks(listing.rows):
            yield [column.value(row) for column in columns], False

    return ReportRows(
        slug=SLUG_PREFIX + spec.name,
        title=spec.title,
        columns=[column.heading for column in columns],
        file_stem=file_stem(spec.name),
        counter=listing.count,
        rows=rows,
    )


def list_source_for_download(*, slug: str, query: str, user) -> ReportRows:
    """The rows of a list download asked for earlier, as its owner sees them."""
    spec = list_spec(slug.removeprefix(SLUG_PREFIX))
    return list_source(spec=spec, user=user, params=QueryDict(query))
