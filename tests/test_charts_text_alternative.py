"""Charts have a text alternative (WCAG 1.1.1, issue 16): each chart is an image
with a name that says what it shows, and points (aria-details) to the table of
its figures, which a keyboard reaches ("Show as a table")."""

from html.parser import HTMLParser

import pytest

from tests.workspace_world import build_world

pytestmark = pytest.mark.django_db


class _Charts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.charts: list[dict] = []
        self.tables: dict[str, bool] = {}  # id -> has a caption
        self._table: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag in ("canvas", "svg") and attributes.get("aria-hidden") != "true":
            self.charts.append(attributes)
        elif tag == "table":
            self._table = attributes.get("id") or ""
            self.tables[self._table] = False
        elif tag == "caption" and self._table is not None:
            self.tables[self._table] = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None


def test_every_dashboard_chart_names_itself_and_points_to_its_table(client, manager):
    build_world(owner=manager)
    client.force_login(manager)
    parser = _Charts()
    parser.feed(client.get("/").content.decode())
    assert len(parser.charts) == 3
    for chart in parser.charts:
        assert chart.get("role") == "img", chart
        assert len(chart.get("aria-label", "")) > 20, chart
        table = chart.get("aria-details")
        assert table in parser.tables, chart
        assert parser.tables[table], f"the table {table} has no caption"
