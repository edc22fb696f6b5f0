"""The pages of the lists people work with, from their ``ListSpec``: filters
applied as they change, sortable headers, chosen columns, saved views, export
of exactly what the page shows, and bulk actions through the single actions'
services. Each list's URL keeps its app's name; these views do the work."""

import tempfile
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from ceop_crm.access import EditorRequiredMixin, StaffRequiredMixin
from ceop_crm.exceptions import ApplicationError
from ceop_crm.lists.exports import list_source
from ceop_crm.lists.registry import list_spec
from ceop_crm.lists.selectors import saved_view_list
from ceop_crm.lists.services import (
    clean_query,
    list_bulk_apply,
    saved_view_delete,
    saved_view_save,
)
from ceop_crm.lists.spec import ListSpec
from ceop_crm.roles import can_edit
from partners.downloads.selectors import report_download_threshold
from partners.downloads.services import list_download_request
from partners.downloads.writers import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_chunks,
    xlsx_write,
)

FORMATS = ("csv", "xlsx")


def list_url(spec: ListSpec, query: str = "") -> str:
    return reverse(spec.url_name) + (f"?{query}" if query else "")


class ListPageView(StaffRequiredMixin, TemplateView):
    """GET: the list (or its export with ``format``); opened with no query
    string, the person's default view. POST: build a large export in the
    background."""

    spec: ListSpec
    nav_section = ""

    def get(self, request, *args, **kwargs) -> HttpResponse:
        spec = self.spec
        saved = list(saved_view_list(user=request.user, list_name=spec.name))
        if not request.GET:
            default = next((v for v in saved if v.is_default), None)
            if default is not None and default.query:
                return HttpResponseRedirect(
                    list_url(spec, f"{default.query}&view={default.pk}")
                )
        params = request.GET
        today = timezone.localdate()
        listing = spec.listing(user=request.user, params=params, today=today)
        columns = spec.chosen_columns(params)
        fmt = params.get("format")
        if fmt in FORMATS:
            return self.export(listing, fmt)
        paginator = Paginator(listing.rows, spec.page_size)
        paginator.count = listing.count()
        page = paginator.get_page(params.get("page"))
        query = clean_query(params.urlencode())
        chosen = {c.key for c in columns}
        user = request.user
        context = self.get_context_data(
            **listing.context,
            nav_section=self.nav_section,
            spec=spec,
            # A django-filter FilterSet (the organisation list) carries its form.
            form=getattr(listing.form, "form", listing.form),
            filter=listing.form,
            page=page,
            rows=[(row, spec.cells(row, columns)) for row in page.object_list],
            headers=spec.headers(params, columns),
            column_choices=[(c.key, c.heading, c.key in chosen) for c in spec.columns],
            query=query,
            today=today,
            q=params.get("q", ""),
            sort=params.get("sort", "") if params.get("sort") in spec.sorts else "",
            saved_views=saved,
            current_view=params.get("view", ""),
            bulk_actions=spec.offered_actions(user) if can_edit(user) else [],
            bulk_fields=self.bulk_fields(spec, user, listing),
        )
        return self.render_to_response(context)

    def bulk_fields(self, spec: ListSpec, user, listing) -> dict[str, Any]:
        """The people and such the bulk actions' fields offer (read only when
        an action needs them)."""
        if not can_edit(user):
            return {}
        fields = {f for a in spec.offered_actions(user) for f in a.fields}
        context: dict[str, Any] = {"names": fields}
        if "person" in fields or "assignee" in fields:
            if spec.people is not None:
                context["people"] = spec.people(listing)
            else:
                from activities.selectors import assignable_people

                context["people"] = assignable_people()
        return context

    def export(self, listing, fmt: str) -> HttpResponse:
        source = list_source(
            spec=self.spec,
            user=self.request.user,
            params=self.request.GET,
            listing=listing,
        )
        if source.count > report_download_threshold():
            return TemplateView.as_view(
                template_name="staff/lists/export_offer.html",
                extra_context={
                    "nav_section": self.nav_section,
                    "spec": self.spec,
                    "source": source,
                    "fmt": fmt,
                    "query": clean_query(self.request.GET.urlencode()),
                    "threshold": report_download_threshold(),
                },
            )(self.request)
        filename = f"{source.file_stem}.{fmt}"
        if fmt == "csv":
            response = StreamingHttpResponse(
                csv_chunks(source.columns, source.rows()),
                content_type=CSV_CONTENT_TYPE,
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        out = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115
        xlsx_write(
            title=source.title, columns=source.columns, rows=source.rows(), out=out
        )
        out.seek(0)
        return FileResponse(
            out, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
        )

    def post(self, request, *args, **kwargs) -> HttpResponse:
        query = request.POST.get("query", "")
        try:
            download = list_download_request(
                actor=request.user,
                list_name=self.spec.name,
                query=query,
                fmt=request.POST.get("format", ""),
            )
        except ApplicationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(list_url(self.spec, query))
        return HttpResponseRedirect(
            reverse("workspace:report_download_detail", args=[download.pk])
        )


class SavedViewSaveView(StaffRequiredMixin, View):
    def post(self, request, list_name: str) -> HttpResponse:
        spec = list_spec(list_name)
        query = request.POST.get("query", "")
        try:
            view = saved_view_save(
                user=request.user,
                list_name=spec.name,
                name=request.POST.get("name", ""),
                query=query,
                is_default=bool(request.POST.get("is_default")),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(list_url(spec, clean_query(query)))
        messages.success(request, f"View “{view.name}” saved.")
        return HttpResponseRedirect(list_url(spec, f"{view.query}&view={view.pk}"))


class SavedViewDeleteView(StaffRequiredMixin, View):
    def post(self, request, list_name: str, pk: int) -> HttpResponse:
        spec = list_spec(list_name)
        try:
            saved_view_delete(user=request.user, pk=pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "View deleted.")
        return HttpResponseRedirect(
            list_url(spec, clean_query(request.POST.get("query", "")))
        )


class ListBulkView(EditorRequiredMixin, View):
    """Apply one action to the ticked rows, each through the single action's
    service; rows it refuses are named with the reason, the others done (or,
    for a list whose actions are all or none, nothing)."""

    row_field = "row"

    def post(self, request, list_name: str) -> HttpResponse:
        spec = list_spec(list_name)
        query = clean_query(request.POST.get("query", ""))
        back = HttpResponseRedirect(list_url(spec, query))
        actions = {a.key: a for a in spec.offered_actions(request.user)}
        action = actions.get(request.POST.get("action", ""))
        # Ids past 64 bits overflow a lookup (SQLite): no row has one.
        ids = [
            int(i)
            for i in request.POST.getlist(self.row_field)
            if i.isdigit() and len(i) < 19
        ]
        rows = list(spec.bulk_rows(ids)) if ids and spec.bulk_rows else []
        if action is None or not rows:
            messages.error(request, "Tick at least one row and choose what to do.")
            return back
        try:
            apply = action.apply(user=request.user, data=request.POST)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return back
        outcome = list_bulk_apply(
            rows=rows, apply=apply, label=spec.row_label, all_or_none=spec.all_or_none
        )
        if outcome.done:
            n = len(outcome.done)
            messages.success(
                request, f"{action.label}: done for {n} row{'s' if n != 1 else ''}."
            )
        if outcome.refused:
            messages.error(
                request,
                ("Nothing was changed. " if spec.all_or_none else "")
                + f"{action.label}: refused for "
                + "; ".join(f"“{label}” ({why})" for label, why in outcome.refused),
            )
        return back
