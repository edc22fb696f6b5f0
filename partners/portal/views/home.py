"""The portal's home page, the MoU document and the self-assessments before a review."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from ceop_crm.forms import add_service_error
from partners.documents import mou_document_response
from partners.portal import forms as portal_forms
from partners.portal.mixins import PortalOrganisationMixin
from partners.portal.selectors import (
    portal_home,
    review_self_assessment,
)
from planning.models import Review, SelfAssessment
from planning.services import self_assessment_save_draft, self_assessment_submit

# Home ----------------------------------------------------------------------------


class HomeView(PortalOrganisationMixin, TemplateView):
    template_name = "portal/home.html"
    portal_section = "home"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            home=portal_home(scope=self.scope, today=today), today=today, **kwargs
        )


class MouDocumentView(PortalOrganisationMixin, View):
    """The signed MoU, through a scoped view: never a public media URL."""

    def get(self, request, mou_pk: int):
        mou = self.scoped_object(self.scope.mous(), pk=mou_pk)
        return mou_document_response(mou=mou)


# Self-assessment -------------------------------------------------------------------


class SelfAssessmentListView(PortalOrganisationMixin, TemplateView):
    template_name = "portal/self_assessment_list.html"
    portal_section = "self_assessment"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        reviews = list(self.scope.reviews().exclude(status=Review.Status.CANCELLED))
        return super().get_context_data(
            open_reviews=[
                r
                for r in self.scope.self_assessable_reviews(today=today)
                if r in reviews
            ],
            reviews=reviews,
            today=today,
            **kwargs,
        )


class SelfAssessmentView(PortalOrganisationMixin, FormView):
    template_name = "portal/self_assessment.html"
    form_class = portal_forms.SelfAssessmentForm
    portal_section = "self_assessment"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.review: Review | None = None

    def get_review(self) -> Review:
        if self.review is None:
            self.review = self.scoped_object(
                self.scope.reviews(), pk=self.kwargs["review_pk"]
            )
        return self.review

    @property
    def assessment(self) -> SelfAssessment | None:
        return review_self_assessment(self.get_review())

    @property
    def read_only(self) -> bool:
        assessment = self.assessment
        return self.get_review().status != Review.Status.SCHEDULED or (
            assessment is not None
            and assessment.status == SelfAssessment.Status.SUBMITTED
        )

    def get(self, request, *args, **kwargs):
        self.get_review()
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        assessment = self.assessment
        if assessment is None:
            return {}
        return {
            name: getattr(assessment, name)
            for name in portal_forms.SelfAssessmentForm.base_fields
        }

    def post(self, request, *args, **kwargs):
        self.get_review()
        if self.read_only:
            messages.error(
                request,
                "This self-assessment has been submitted and can no longer be changed.",
            )
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        submit = "submit" in self.request.POST
        service = self_assessment_submit if submit else self_assessment_save_draft
        try:
            service(
                review=self.get_review(), actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        if submit:
            messages.success(
                self.request,
                "Thank you. Your self-assessment has been submitted to your relationship manager.",
            )
        else:
            messages.success(
                self.request,
                "Your draft is saved. You can come back and change it before you submit.",
            )
        return redirect(self.request.path)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            review=self.get_review(),
            assessment=self.assessment,
            read_only=self.read_only,
            **kwargs,
        )
