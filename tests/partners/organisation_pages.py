"""Walking the organisation list page by page, and the statements that read a
page's rows (tests of its paging and of its sorts)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def every_page(client, params) -> list:
    """Every row of the list, page after page, each page numbered as asked."""
    url = reverse("partners:organisation_list")
    rows, number, last = [], 0, 1
    while number < last:
        number += 1
        response = client.get(url, {**params, "page": number})
        page = response.context["page"]
        assert page.number == number
        last = page.paginator.num_pages
        assert page.paginator.count == len(page.paginator.object_list)
        rows.extend(page.object_list)
    assert page.paginator.count == len(rows)
    return rows


def page_statements(client, params) -> tuple[list, list[str]]:
    """The first page's rows and the statements that read them with the list's
    figures."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("partners:organisation_list"), params)
    listed = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "partners_organisation"."id"')
        and "next_review_due" in q["sql"]
    ]
    return list(response.context["page"].object_list), listed
