"""The search box's answers: a listbox fragment as one types (htmx), or a page."""

from typing import Any

from django.utils.cache import patch_vary_headers
from django.views.generic import TemplateView

from ceop_crm.access import StaffRequiredMixin
from ceop_crm.privacy.models import ReadLogEntry
from ceop_crm.privacy.services import contacts_read_log
from ceop_crm.search.selectors import MIN_LENGTH, global_search


class GlobalSearchView(StaffRequiredMixin, TemplateView):
    def get_template_names(self) -> list[str]:
        if self.request.htmx:
            return ["staff/search/_results.html"]
        return ["staff/search/results.html"]

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ("HX-Request",))
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        text = self.request.GET.get("q", "")[:200]
        groups = global_search(user=self.request.user, text=text)
        contacts_read_log(
            request=self.request,
            kind=ReadLogEntry.Kind.CONTACT_LIST,
            what="Global search results",
            contact_ids=[h.contact_id for g in groups for h in g.hits if h.contact_id],
        )
        context.update(
            q=text,
            groups=groups,
            too_short=len(text.strip()) < MIN_LENGTH,
            nav_section="search",
        )
        return context
