"""Staff pages for reviews: the list, a review, and conducting one."""

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from activities.selectors import task_list
from ceop_crm.access import StaffRequiredMixin
from partners.views.base import (
    ServiceFormView,
    may_edit_organisation,
    query_without_page,
)
from planning import services
from planning.filters import ReviewFilter
from planning.forms import ReviewConductForm
from planning.models import Review
from planning.selectors import review_list, review_list_due, review_list_has_mine

PAGE_SIZE = 25
VIEWS = [
    ("due", "Due this month and overdue"),
    ("overdue", "Overdue"),
    ("upcoming", "Coming up"),
    ("completed", "Completed"),
    ("all", "All"),
]


class ReviewListView(StaffRequiredMixin, TemplateView):
    template_name = "staff/planning/review_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        show = self.request.GET.get("show", "due")
        scope = self.request.GET.get("scope")
        if scope not in ("mine", "all"):
            # As on the dashboard: one's own first, everyone's when one has none.
            scope = "mine" if review_list_has_mine(user=self.request.user) else "all"
        mine = scope == "mine"
        rows = review_list(user=self.request.user, mine=mine)
        scheduled = rows.filter(status=Review.Status.SCHEDULED)
        if show == "overdue":
            rows = scheduled.filter(due_on__lt=today)
        elif show == "upcoming":
            rows = scheduled.filter(due_on__gte=today)
        elif show == "completed":
            rows = rows.filter(status=Review.Status.COMPLETED).order_by(
                "-completed_on", "-pk"
            )
        elif show == "all":
            pass
        else:
            show = "due"
            rows = review_list_due(today=today, user=self.request.user, mine=mine)
        # The filters a report's figure links with (partners/reports).
        filterset = ReviewFilter(self.request.GET or None, queryset=rows, today=today)
        if filterset.is_bound and filterset.is_valid():
            rows = filterset.qs
        context.update(
            filter=filterset,
            nav_section="reviews",
            query=query_without_page(self.request),
            today=today,
            show=show,
            mine=mine,
            views=VIEWS,
            page=Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page")),
        )
        return context


def _review(pk: int) -> Review:
    try:
        return review_list().get(pk=pk)
    except Review.DoesNotExist:
        raise Http404 from None


def _self_assessment(review: Review):
    try:
        return review.self_assessment
    except Review.self_assessment.RelatedObjectDoesNotExist:
        return None


class ReviewDetailView(StaffRequiredMixin, TemplateView):
    template_name = "staff/planning/review_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        review = _review(self.kwargs["pk"])
        context.update(
            nav_section="reviews",
            review=review,
            organisation=review.organisation,
            self_assessment=_self_assessment(review),
            today=timezone.localdate(),
            may_edit=may_edit_organisation(self.request.user, review.organisation),
            source_tasks=list(task_list().filter(review=review)),
        )
        return context


class ReviewConductView(ServiceFormView):
    template_name = "staff/planning/review_conduct.html"
    form_class = ReviewConductForm
    submit_label = "Complete review"
    success_message = "Review completed."
    nav_section = "reviews"

    def load(self) -> None:
        self.review = _review(self.kwargs["pk"])
        self.organisation = self.review.organisation

    def get_page_title(self) -> str:
        return f"{self.review.milestone.name} review of {self.organisation.name}"

    def get_initial(self) -> dict[str, Any]:
        return {"completed_on": min(timezone.localdate(), self.review.due_on)}

    def get_cancel_url(self) -> str:
        return reverse("planning:review_detail", args=[self.review.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            review=self.review,
            self_assessment=_self_assessment(self.review),
            today=timezone.localdate(),
        )
        return context

    def perform(self, form: ReviewConductForm) -> Review:
        return services.review_complete(
            review=self.review, actor=self.request.user, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return self.get_cancel_url()
