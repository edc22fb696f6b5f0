"""A change list's page at 100,000 rows: each row is written out without
rendering a form widget or reversing a URL, with Django's own HTML, and the
lists of reviews and reminders are read in their order from an index."""

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.admin.utils import quote
from django.contrib.admin.views import main as admin_main
from django.db import connection
from django.urls import reverse

from ceop_crm.admin_scale import LargeTableChangeList
from partners.models import Organisation
from planning.models import Reminder, Review
from tests import factories
from tests.admin_site.objects import make_reminder, make_review

pytestmark = pytest.mark.django_db

CHANGE_LIST = reverse("admin:partners_organisation_changelist")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"
)


def test_row_checkbox_is_djangos_html():
    organisation = factories.OrganisationFactory(name='Trust & "Sons" <Ltd>')
    organisation_admin = admin.site.get_model_admin(Organisation)

    ours = organisation_admin.action_checkbox(organisation)

    assert ours == ModelAdmin.action_checkbox(organisation_admin, organisation)
    assert "&amp;" in ours
    assert "<Ltd>" not in ours


@pytest.mark.parametrize("pk", [7, "Trust & Co/é 1_?#", "a b:c"])
def test_row_link_is_the_reversed_change_url(rf, admin_user, pk):
    request = rf.get(CHANGE_LIST)
    request.user = admin_user
    change_list = admin.site.get_model_admin(Organisation).get_changelist_instance(
        request
    )
    row = Organisation(id=pk)

    assert isinstance(change_list, LargeTableChangeList)
    assert change_list.url_for_result(row) == reverse(
        "admin:partners_organisation_change", args=(quote(pk),)
    )


def test_rows_render_no_widget_template_and_reverse_no_url(admin_client, monkeypatch):
    factories.OrganisationFactory.create_batch(5)
    admin_client.get(CHANGE_LIST)  # warm the per-process caches
    reversed_urls = []
    real_reverse = admin_main.reverse

    def counting_reverse(*args, **kwargs):
        reversed_urls.append(args[0])
        return real_reverse(*args, **kwargs)

    monkeypatch.setattr(admin_main, "reverse", counting_reverse)
    response = admin_client.get(CHANGE_LIST)

    assert response.status_code == 200
    assert response.content.count(b'class="action-select"') == 5
    templates = [template.name for template in response.templates]
    assert "django/forms/widgets/checkbox.html" not in templates
    # Django's ChangeList reverses each row's link; ours reverses it once.
    assert reversed_urls == []
    for organisation in Organisation.objects.all():
        url = reverse("admin:partners_organisation_change", args=[organisation.pk])
        assert f'href="{url}"'.encode() in response.content


def _page_plan(rf, admin_user, model, query: dict) -> str:
    """The plan of the first page of rows of the model's change list."""
    request = rf.get("/", query)
    request.user = admin_user
    change_list = admin.site.get_model_admin(model).get_changelist_instance(request)
    page = change_list.queryset[: change_list.list_per_page]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        # As on a large table: no full scan, and no sort where an index has
        # the order.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@on_postgresql
@pytest.mark.parametrize(
    ("model", "make", "query", "index"),
    [
        (Review, make_review, {}, "review_due_on_then_id"),
        (
            Review,
            make_review,
            {"status__exact": "scheduled"},
            "review_status_due_on_id",
        ),
        (Reminder, make_reminder, {}, "reminder_newest_first"),
    ],
    ids=["review", "review-by-status", "reminder"],
)
def test_change_list_reads_its_order_from_an_index(
    rf, admin_user, model, make, query, index
):
    make()

    plan = _page_plan(rf, admin_user, model, query)

    assert index in plan, plan
    assert "Sort" not in plan, plan


def test_a_yes_no_column_is_djangos_own_html_with_its_icons_made_once(
    admin_client, monkeypatch
):
    """The contacts' "Is primary" column: the whole page is the same as with
    Django's own rendering of the field (heading, sorting, cells), and the
    icons are made once, not looked up again for every row."""
    from ceop_crm import admin_scale
    from partners.models import Contact

    organisation = factories.OrganisationFactory()
    factories.ContactFactory(organisation=organisation, is_primary=True)
    factories.ContactFactory.create_batch(4, organisation=organisation)
    url = reverse("admin:partners_contact_changelist")
    admin_scale._boolean_icon_html.cache_clear()
    ours = admin_client.get(url, {"o": "5"}).content.decode()
    info = admin_scale._boolean_icon_html.cache_info()
    assert (info.misses, info.hits) == (2, 3)  # yes and no, once each

    monkeypatch.setattr(admin_scale, "_is_plain_boolean", lambda model, name: False)
    djangos = admin_client.get(url, {"o": "5"}).content.decode()

    def rows_and_headings(page: str) -> str:
        start = page.index('<table id="result_list">')
        return page[start : page.index("</table>", start)]

    assert rows_and_headings(ours) == rows_and_headings(djangos)
    assert 'class="field-is_primary"' in ours
    assert "icon-yes" in ours
    assert "icon-no" in ours
    assert Contact._meta.get_field("is_primary").verbose_name in ours.lower()
