"""Baselines for `make bench`: what any signed-in workspace page costs at least.

Mounted under /bench/ only when settings.CEOP_BENCH_VIEWS is True (the benchmark
sets DJANGO_BENCH_VIEWS=True); production never exposes them. Both require a
staff role, as every workspace page does, so they pay for the same session,
user and role look-ups through the full middleware stack.
"""

from django.http import HttpRequest, HttpResponse
from django.views.generic import TemplateView, View

from ceop_crm.access import StaffRequiredMixin
from partners.models import Organisation

ROWS = 20


class TrivialView(StaffRequiredMixin, View):
    """The floor: middleware, session, user and role check, a constant body."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok", content_type="text/plain")


class OrmTemplateView(StaffRequiredMixin, TemplateView):
    """Twenty rows read with the ORM and rendered in the staff page layout."""

    template_name = "bench/rows.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisations"] = list(
            Organisation.objects.select_related("owner").order_by("name")[:ROWS]
        )
        return context
