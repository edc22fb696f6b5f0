"""Workspace pages of duplicates: the possible duplicates and the merge (senior
managers and administrators), and the redirect of a merged record's old links."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import TemplateView

from ceop_crm.access import SeniorManagerRequiredMixin
from ceop_crm.roles import is_staff_member
from partners.dedupe.merge import organisation_merge, organisation_merge_preview
from partners.dedupe.selectors import (
    organisation_duplicate_pairs,
    organisation_likely_duplicates,
    organisation_merged_target,
)
from partners.models import Organisation


class FollowMergedMixin:
    """A page of a merged organisation redirects to the one it was merged into.

    Looked up only when the page would answer 404, so the pages of organisations
    in use pay nothing for it; the view's own access checks run first.
    """

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except Http404:
            pk = kwargs.get("pk")
            target = organisation_merged_target(pk=pk) if pk is not None else None
            if target is None or not is_staff_member(request.user):
                raise
        match = request.resolver_match
        url = reverse(
            f"{match.namespace}:{match.url_name}", kwargs={**kwargs, "pk": target.pk}
        )
        query = request.META.get("QUERY_STRING")
        return HttpResponseRedirect(f"{url}?{query}" if query else url)


class DuplicatePairsView(SeniorManagerRequiredMixin, TemplateView):
    template_name = "staff/dedupe/duplicate_pairs.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            nav_section="organisations", pairs=organisation_duplicate_pairs()
        )
        return context


def _organisation(pk) -> Organisation:
    try:
        return Organisation.objects.select_related("owner").get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


class OrganisationMergeView(SeniorManagerRequiredMixin, TemplateView):
    """Merge organisation <pk> (the duplicate) into ?into=<pk> (the one kept)."""

    template_name = "staff/dedupe/merge.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.source_pk = kwargs["pk"]
        self.target_pk = request.GET.get("into") or request.POST.get("into")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        source = _organisation(self.source_pk)
        if not self.target_pk:
            # Which organisation to keep: its likely duplicates are offered.
            context.update(
                nav_section="organisations",
                source=source,
                target=None,
                candidates=organisation_likely_duplicates(
                    name=source.name, website=source.website, exclude_pk=source.pk
                ),
            )
            return context
        target = _organisation(self.target_pk)
        context.update(
            nav_section="organisations",
            preview=organisation_merge_preview(source=source, target=target),
            source=source,
            target=target,
        )
        return context

    def post(self, request, *args, **kwargs):
        source, target = _organisation(self.source_pk), _organisation(self.target_pk)
        try:
            organisation_merge(source=source, target=target, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.get_full_path())
        messages.success(request, f"{source.name} was merged into {target.name}.")
        return HttpResponseRedirect(
            reverse("partners:organisation_detail", args=[target.pk])
        )
