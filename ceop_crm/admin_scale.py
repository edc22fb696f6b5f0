"""Admin change lists that stay fast at 100,000 rows.

- No ``COUNT(*)`` of the whole table on every page: ``show_full_result_count``
  is off, and the paginator estimates large counts on PostgreSQL, from
  ``pg_class.reltuples`` for the whole table and from the planner's row
  estimate for a filtered or searched list; small lists, and SQLite, are
  counted exactly.
- Every foreign key is edited through an autocomplete (a search on the target
  admin's ``search_fields``), never a ``<select>`` of every row.
- No ``date_hierarchy``: its year and month links read the distinct dates of
  the whole list; a date ``list_filter`` (fixed ranges, no query) replaces it.
- A page of rows costs Python, not SQL: Django renders each row's action
  checkbox through the form widget templates and reverses each row's link (a
  third of a 100-row page's time where the list has actions). The same
  checkbox and link are written out here, without either.

Every registered ModelAdmin uses ``LargeTableAdminMixin``
(tests/admin_site/test_scale.py walks them); third-party admins are registered
again with it below.
"""

import json
from urllib.parse import quote as url_quote

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

# Below this many rows (as estimated) a list is counted exactly.
EXACT_BELOW = 10_000


def table_row_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows of ``queryset`` (None: not on PostgreSQL,
    or the table was never analysed)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        if not queryset.query.where:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
            return row[0] if row and row[0] >= 0 else None
        sql, params = queryset.values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """Counts large PostgreSQL lists from the statistics, small ones exactly."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            estimate = table_row_estimate(self.object_list)
            if estimate is not None and estimate >= EXACT_BELOW:
                return estimate
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

    def url_for_result(self, result: Model) -> str:
        pk = quote(getattr(result, self.pk_attname))
        # Quoted as reverse() quotes an argument.
        pk = url_quote(str(pk), safe=RFC3986_SUBDELIMS + "/~:@")
        return self.change_url_pattern.replace(PK_PLACEHOLDER, pk, 1)


class LargeTableAdminMixin:
    """Put first in a ModelAdmin's bases (see the module's docstring)."""

    show_full_result_count = False
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
