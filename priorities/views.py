"""Priority areas: CEOP's priorities for external support and the support each has."""

from typing import Any

from django.http import Http404
from django.views.generic import TemplateView

from ceop_crm.access import StaffRequiredMixin
from partners.models import Contribution, Proposal
from partners.reports import ACTIVE_SUPPORT, AGREED_SUPPORT, priority_coverage
from priorities.models import PriorityArea


class PriorityAreaListView(StaffRequiredMixin, TemplateView):
    template_name = "staff/priorities/priority_area_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(nav_section="reports", coverage=priority_coverage())
        return context


class PriorityAreaDetailView(StaffRequiredMixin, TemplateView):
    template_name = "staff/priorities/priority_area_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        area = (
            PriorityArea.objects.prefetch_related("objectives")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if area is None:
            raise Http404
        # "now": only the agreed or delivering support, the coverage figure
        # that tells a gap.
        now = self.request.GET.get("support") == "now"
        context.update(
            nav_section="reports",
            area=area,
            support_now=now,
            contributions=Contribution.objects.filter(
                priority_areas=area,
                status__in=ACTIVE_SUPPORT if now else AGREED_SUPPORT,
            )
            .select_related("organisation")
            .order_by("organisation__name", "pk"),
            proposals=Proposal.objects.filter(
                priority_areas=area, status=Proposal.Status.SUBMITTED
            )
            .select_related("organisation")
            .order_by("-created_at"),
        )
        return context
