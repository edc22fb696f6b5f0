"""A report table's rows are written in Python (partners.templatetags.workspace
.report_rows): the first cell a row heading, figures aligned right, dates as
the workspace writes them, links kept, and everything typed escaped."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from partners.templatetags.workspace import _date_text, report_rows
from tests.clients import VerifiedClient
from tests.workspace_world import build_world


def test_a_row_reads_heading_figure_date_text_and_link():
    html = report_rows(
        [
            (
                True,
                [
                    ("Brightwater", "/organisations/1/"),
                    (12, None),
                    (dt.date(2026, 3, 5), None),
                    ("Signed", "/x/?a=1&b=2"),
                ],
            ),
            (False, [(dt.date(2026, 3, 5), None), (None, None)]),
        ]
    )
    assert html == (
        '  <tr class="row-highlight"><th scope="row" class="fw-normal">'
        '<a href="/organisations/1/">Brightwater</a></th>'
        '<td class="text-end">12</td><td>5 Mar 2026</td>'
        '<td><a href="/x/?a=1&amp;b=2">Signed</a></td></tr>\n'
        '  <tr><th scope="row" class="fw-normal">5 Mar 2026</th><td>None</td></tr>'
    )


def test_text_in_a_report_is_escaped():
    html = report_rows([(False, [('<b>"A" & B</b>', None), ("<i>", "/a/")])])
    assert "<b>" not in html
    assert "<i>" not in html
    assert "&lt;b&gt;&quot;A&quot; &amp; B&lt;/b&gt;" in html
    assert '<a href="/a/">&lt;i&gt;</a>' in html


def test_a_date_is_written_in_the_active_language():
    """The remembered dates are keyed by language: a date written for one
    language is never served for another."""
    day = dt.date(2026, 5, 1)
    with translation.override("en-gb"):
        english = report_rows([(False, [("x", None), (day, None)])])
    with translation.override("de"):
        german = report_rows([(False, [("x", None), (day, None)])])
    assert "1 May 2026" in english
    assert english != german
    assert _date_text.cache_info().currsize >= 2


def test_a_whole_number_is_written_in_the_active_language_and_grouping():
    """The remembered numbers are keyed by language and by the grouping of
    thousands: one written for a language or a setting is never served for
    another."""
    row = [(False, [("x", None), (12345, None), (True, None)])]
    with translation.override("en-gb"):
        plain = report_rows(row)
        with override_settings(USE_THOUSAND_SEPARATOR=True):
            english = report_rows(row)
            with translation.override("de"):
                german = report_rows(row)
    assert '<td class="text-end">12345</td>' in plain
    assert '<td class="text-end">12,345</td>' in english
    assert '<td class="text-end">12.345</td>' in german
    assert "<td>True</td>" in plain


def test_a_link_already_safe_is_not_escaped_twice():
    html = report_rows([(False, [("A", mark_safe("/x/?a=1&amp;b=2"))])])
    assert '<a href="/x/?a=1&amp;b=2">A</a>' in html


@pytest.mark.django_db
def test_an_organisation_name_is_escaped_on_the_report_page(manager, senior_manager):
    build_world(owner=manager, name='<script>alert("x")</script> Trust')
    client = VerifiedClient()
    client.force_login(senior_manager)
    for slug in ("mous", "contacts", "organisations"):
        body = client.get(reverse("workspace:report", args=[slug])).content.decode()
        assert "<script>alert" not in body, slug
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Trust" in body, slug
