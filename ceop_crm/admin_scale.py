"""Admin change lists that stay fast at 100,000 rows.

- No ``COUNT(*)`` of the whole table on every page: ``show_full_result_count``
  is off, and the paginator estimates large counts on PostgreSQL, from
  ``pg_class.reltuples`` for the whole table and from the planner's row
  estimate for a filtered or searched list; small lists, and SQLite, are
  counted exactly. Either way it is one statement, so a list runs as many
  queries at 100 rows as at 100,000.
- Every foreign key is edited through an autocomplete (a search on the target
  admin's ``search_fields``), never a ``<select>`` of every row.
- 50 rows a page, as the API's pages (Django's default is 100): a page of
  rows costs Python, not SQL, and half the rows was half the page's time.
- No ``date_hierarchy``: its year and month links read the distinct dates of
  the whole list; a date ``list_filter`` (fixed ranges, no query) replaces it.
- A page of rows costs Python, not SQL: Django renders each row's action
  checkbox through the form widget templates and reverses each row's link (a
  third of a 100-row page's time where the list has actions). The same
  checkbox and link are written out here, without either. A yes/no column's
  icon is Django's own, made once per value instead of looking its static
  file up again for every row. The cells themselves are written once per
  column, not per cell, by ``ceop_crm/admin_rows.py``
  (templates/admin/change_list.html).

Every registered ModelAdmin uses ``LargeTableAdminMixin``
(tests/admin_site/test_scale.py walks them); third-party admins are registered
again with it below.
"""

import functools
from urllib.parse import quote as url_quote

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags.admin_list import _boolean_icon
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import BooleanField, Model, QuerySet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

# Below this many rows (as estimated) a list is counted exactly.
EXACT_BELOW = 10_000


def list_count(queryset: QuerySet) -> int:
    """The rows of a list in one statement on PostgreSQL, at any size: for the
    whole table, its statistics when they say ``EXACT_BELOW`` rows or more,
    else ``COUNT(*)``; for a filtered list, the planner's estimate or the exact
    count alike, inside the database (``ceop_list_count``, ceop_crm migration
    0007). Elsewhere, the exact count."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return queryset.count()
    with connection.cursor() as cursor:
        if not queryset.query.where:
            table = connection.ops.quote_name(queryset.model._meta.db_table)
            # The subquery runs only when the statistics send it (an InitPlan
            # is evaluated when first needed); a table never analysed is -1.
            # The model's own table name, quoted.
            statement = (
                "SELECT CASE WHEN reltuples >= %s THEN reltuples::bigint"  # noqa: S608
                f" ELSE (SELECT COUNT(*) FROM {table}) END"
                " FROM pg_class WHERE oid = %s::regclass"
            )
            cursor.execute(statement, [EXACT_BELOW, queryset.model._meta.db_table])
        else:
            sql, params = queryset.order_by().values("pk").query.sql_with_params()
            query = cursor.mogrify(sql, params)
            if isinstance(query, bytes):
                query = query.decode()
            cursor.execute("SELECT ceop_list_count(%s, %s)", [query, EXACT_BELOW])
        return int(cursor.fetchone()[0])


class EstimatedCountPaginator(Paginator):
    """Counts large PostgreSQL lists from the statistics, small ones exactly,
    in one statement at every size."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return list_count(self.object_list)
        return super().count


def foreign_key_names(model) -> list[str]:
    """The model's editable foreign keys and one-to-one fields."""
    return [
        f.name
        for f in model._meta.get_fields()
        if f.concrete and (f.many_to_one or f.one_to_one) and f.editable
    ]


# Stands for the primary key in a change URL reversed once per list (admin's
# change URLs take any text as the object's id).
PK_PLACEHOLDER = "9081726354"


class LargeTableChangeList(ChangeList):
    """A change list that reverses the change URL once, not once per row."""

    @cached_property
    def change_url_pattern(self) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=(PK_PLACEHOLDER,),
            current_app=self.model_admin.admin_site.name,
        )

    def quoted_pk(self, result: Model) -> str:
        """The row's primary key as its change URL holds it."""
        pk = quote(getattr(result, self.pk_attname))
        # Quoted as reverse() quotes an argument.
        return url_quote(str(pk), safe=RFC3986_SUBDELIMS + "/~:@")

    def url_for_result(self, result: Model) -> str:
        return self.change_url_pattern.replace(
            PK_PLACEHOLDER, self.quoted_pk(result), 1
        )


@functools.lru_cache(maxsize=16)
def _boolean_icon_html(value: bool | None, static_url: str) -> SafeString:
    """Django's yes/no/unknown icon (keyed by STATIC_URL, which names it)."""
    return _boolean_icon(value)


@functools.lru_cache(maxsize=256)
def _boolean_column(model: type[Model], name: str):
    """A change list column showing a yes/no field as Django does, its icon
    made once per value: the column's name, heading and sorting are the
    field's."""
    field = model._meta.get_field(name)

    def column(obj: Model) -> SafeString:
        return _boolean_icon_html(getattr(obj, name), settings.STATIC_URL)

    column.__name__ = name
    return admin.display(description=capfirst(field.verbose_name), ordering=name)(
        column
    )


def _is_plain_boolean(model: type[Model], name) -> bool:
    if not isinstance(name, str):
        return False
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a method or an attribute, not a field
        return False
    return isinstance(field, BooleanField) and not field.choices


class LargeTableAdminMixin:
    """Put first in a ModelAdmin's bases (see the module's docstring)."""

    show_full_result_count = False
    list_per_page = 50
    paginator = EstimatedCountPaginator
    date_hierarchy = None

    def __init__(self, model, admin_site) -> None:
        super().__init__(model, admin_site)
        # Set on the instance, so Django's admin checks (E039, E040: the target
        # is registered and has search_fields) cover every foreign key.
        declared = list(self.autocomplete_fields)
        self.autocomplete_fields = declared + [
            name
            for name in foreign_key_names(model)
            if name not in declared and name not in self.raw_id_fields
        ]

    def get_changelist(self, request, **kwargs):
        return LargeTableChangeList

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return [
            _boolean_column(self.model, name)
            if _is_plain_boolean(self.model, name) and name not in self.list_editable
            else name
            for name in shown
        ]

    def action_checkbox(self, obj: Model) -> SafeString:
        """Django's row checkbox, the same HTML, without rendering a widget."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select"'
            ' aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(_("Select this object for an action - {}"), str(obj)),
        )


def register_again(model, base: type[admin.ModelAdmin], **attributes) -> None:
    """Register a third-party model's admin again with the mixin."""
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(
        model,
        type(f"Large{base.__name__}", (LargeTableAdminMixin, base), attributes),
    )
