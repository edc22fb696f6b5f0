"""Pages of the partner portal. Thin: a scoped read, a form, a service call.

Every signed-in page uses PortalOrganisationMixin, which refuses anyone but a
partner user and gives the view `self.scope`; objects named in a URL are
fetched with `self.scoped_object(self.scope.<queryset>(), pk=...)`.
"""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from ceop_crm.auth.forms import QueuedPasswordResetForm
from ceop_crm.auth.selectors import second_factor_enrolled
from ceop_crm.auth.views import SessionsEndElsewhereMixin
from ceop_crm.forms import add_service_error
from ceop_crm.roles import STAFF_ROLES, is_partner_user
from partners.documents import mou_document_response
from partners.models import Contact, Proposal
from partners.portal import forms as portal_forms
from partners.portal.mixins import PortalOrganisationMixin
from partners.portal.selectors import (
    logo_entitled,
    portal_home,
    priority_area_list,
    review_self_assessment,
    threat_list_current,
)
from partners.portal.services import portal_accept_invitation
from partners.portal.tokens import invitation_tokens
from partners.selectors import mou_in_force
from partners.services import (
    contact_delete,
    contact_save,
    organisation_update,
    proposal_submit,
)
from planning.models import Review, SelfAssessment
from planning.selectors import calendar_feed_token_current, reminder_unread_count
from planning.services import self_assessment_save_draft, self_assessment_submit
from planning.services.reminders import (
    calendar_feed_token_issue,
    calendar_feed_token_revoke,
    reminder_mark_read,
)

LOGO_PATH = Path(__file__).resolve().parent / "assets" / "official-supporter-logo.svg"


# Sign-in, password and invitation ------------------------------------------------


class PortalLoginView(auth_views.LoginView):
    form_class = portal_forms.PortalAuthenticationForm
    template_name = "portal/auth/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        if is_partner_user(self.request.user):
            return reverse("portal:home")
        return "/"


class PortalLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("portal:login")


class PortalPasswordResetForm(QueuedPasswordResetForm):
    """Only partner users get a portal reset link; mail goes through the queue."""

    subject = "Reset your CEOP partner portal password"
    template = "portal_password_reset"
    confirm_url_name = "portal:password_reset_confirm"

    def get_users(self, email):
        return (
            user
            for user in super().get_users(email)
            if hasattr(user, "portal_membership")
            and not user.is_staff
            and not user.is_superuser
            and not user.groups.filter(name__in=STAFF_ROLES).exists()
        )


class PortalPasswordResetView(auth_views.PasswordResetView):
    form_class = PortalPasswordResetForm
    template_name = "portal/auth/password_reset_form.html"
    success_url = reverse_lazy("portal:password_reset_done")


class PortalPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/auth/password_reset_done.html"


class PortalPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/auth/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and is_partner_user(user) else None


class PortalPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/auth/password_reset_complete.html"


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The single-use link of an invitation: choose a password, then sign in."""

    template_name = "portal/auth/invitation_accept.html"
    token_generator = invitation_tokens
    form_class = SetPasswordForm
    reset_url_token = "set-password"  # noqa: S105 - a URL segment, not a secret

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if (
            user is None
            or not user.is_active
            or not is_partner_user(user)
            or user.has_usable_password()
        ):
            return None
        return user

    def form_valid(self, form):
        try:
            user = portal_accept_invitation(
                user=self.user, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            self.request, "Welcome to the CEOP partner portal. Your password is set."
        )
        return HttpResponseRedirect(reverse("portal:home"))


class PortalPasswordChangeView(
    PortalOrganisationMixin, SessionsEndElsewhereMixin, auth_views.PasswordChangeView
):
    template_name = "portal/auth/password_change.html"
    success_url = reverse_lazy("portal:home")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            second_factor_enrolled=second_factor_enrolled(user=self.request.user),
            **kwargs,
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response


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


# Support -------------------------------------------------------------------------


class SupportView(PortalOrganisationMixin, TemplateView):
    template_name = "portal/support.html"
    portal_section = "support"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            priority_areas=priority_area_list(),
            proposals=self.scope.proposals(),
            contributions=self.scope.contributions(),
            **kwargs,
        )


class ProposalCreateView(PortalOrganisationMixin, FormView):
    template_name = "portal/proposal_form.html"
    form_class = portal_forms.ProposalForm
    portal_section = "support"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["priority_areas"] = priority_area_list()
        kwargs["threats"] = threat_list_current(today=timezone.localdate())
        initial_area = self.request.GET.get("area")
        if initial_area and initial_area.isdigit():
            kwargs.setdefault("initial", {})["priority_areas"] = [int(initial_area)]
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        membership = self.scope.membership
        contact = membership.contact
        try:
            proposal = proposal_submit(
                organisation=self.scope.organisation,
                title=data["title"],
                offer=data["offer"],
                kind=data["kind"],
                priority_areas=data["priority_areas"],
                threat=data.get("threat"),
                new_threat=data.get("new_threat", ""),
                source=Proposal.Source.PORTAL,
                actor=self.request.user,
                contact_name=contact.name
                if contact
                else self.request.user.get_full_name(),
                contact_email=(contact.email if contact else "")
                or self.request.user.email,
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            "Thank you. Your proposal has been sent to CEOP; you can follow its progress here.",
        )
        return redirect("portal:proposal_detail", proposal_pk=proposal.pk)


class ProposalDetailView(PortalOrganisationMixin, TemplateView):
    template_name = "portal/proposal_detail.html"
    portal_section = "support"

    def get_context_data(self, **kwargs):
        proposal = self.scoped_object(
            self.scope.proposals(), pk=self.kwargs["proposal_pk"]
        )
        return super().get_context_data(proposal=proposal, **kwargs)


class ContributionDetailView(PortalOrganisationMixin, TemplateView):
    template_name = "portal/contribution_detail.html"
    portal_section = "support"

    def get_context_data(self, **kwargs):
        contribution = self.scoped_object(
            self.scope.contributions(), pk=self.kwargs["contribution_pk"]
        )
        return super().get_context_data(contribution=contribution, **kwargs)


# Organisation and contacts ---------------------------------------------------------


class OrganisationView(PortalOrganisationMixin, TemplateView):
    template_name = "portal/organisation.html"
    portal_section = "organisation"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            contacts=self.scope.contacts(),
            association=self.scope.current_association(),
            **kwargs,
        )


def form_fields(view: FormView) -> list[str]:
    return list(view.get_form_class().base_fields)


class OrganisationEditView(PortalOrganisationMixin, FormView):
    template_name = "portal/organisation_form.html"
    form_class = portal_forms.OrganisationProfileForm
    portal_section = "organisation"

    def get_initial(self):
        organisation = self.scope.organisation
        return {name: getattr(organisation, name) for name in form_fields(self)}

    def form_valid(self, form):
        try:
            organisation_update(
                organisation=self.scope.organisation,
                actor=self.request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Your organisation's details are saved.")
        return redirect("portal:organisation")


class ContactFormView(PortalOrganisationMixin, FormView):
    template_name = "portal/contact_form.html"
    form_class = portal_forms.ContactForm
    portal_section = "organisation"

    def get_contact(self) -> Contact:
        if "contact_pk" in self.kwargs:
            return self.scoped_object(
                self.scope.contacts(), pk=self.kwargs["contact_pk"]
            )
        return Contact(organisation=self.scope.organisation)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.contact
        return kwargs

    def get(self, request, *args, **kwargs):
        self.contact = self.get_contact()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.contact = self.get_contact()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        contact = form.save(commit=False)
        contact.organisation = self.scope.organisation
        try:
            contact_save(contact=contact, actor=self.request.user)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{contact.name} is saved.")
        return redirect("portal:organisation")

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact=self.contact, **kwargs)


class ContactDeleteView(PortalOrganisationMixin, TemplateView):
    template_name = "portal/contact_confirm_delete.html"
    portal_section = "organisation"

    def get_contact(self) -> Contact:
        return self.scoped_object(self.scope.contacts(), pk=self.kwargs["contact_pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact=self.get_contact(), **kwargs)

    def post(self, request, *args, **kwargs):
        contact = self.get_contact()
        name = contact.name
        try:
            contact_delete(contact=contact, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("portal:organisation")
        messages.success(request, f"{name} has been removed.")
        return redirect("portal:organisation")


# Logo and brand ----------------------------------------------------------------------


class BrandView(PortalOrganisationMixin, TemplateView):
    template_name = "portal/brand.html"
    portal_section = "brand"

    def get_context_data(self, **kwargs):
        association = self.scope.current_association()
        tier = association.tier if association else None
        mou = None
        if tier is not None and tier.requires_mou:
            mou = mou_in_force(
                organisation=self.scope.organisation, on=timezone.localdate()
            )
        return super().get_context_data(
            association=association,
            tier=tier,
            logo_entitled=logo_entitled(association=association),
            is_associated=tier is not None and tier.is_association,
            mou=mou,
            **kwargs,
        )


class LogoDownloadView(PortalOrganisationMixin, View):
    """The logo, for organisations whose tier carries the logo benefit only."""

    def get(self, request):
        if not logo_entitled(association=self.scope.current_association()):
            raise PermissionDenied
        response = HttpResponse(LOGO_PATH.read_bytes(), content_type="image/svg+xml")
        disposition = "attachment" if request.GET.get("download") else "inline"
        response["Content-Disposition"] = (
            f'{disposition}; filename="ceop-official-supporter-logo.svg"'
        )
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'"
        )
        return response


# Notifications -----------------------------------------------------------------------


class NotificationListView(PortalOrganisationMixin, TemplateView):
    template_name = "portal/notifications.html"
    portal_section = "notifications"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reminders=self.scope.reminders()[:100],
            unread=reminder_unread_count(user=self.request.user),
            calendar_token=calendar_feed_token_current(user=self.request.user),
            **kwargs,
        )


class NotificationReadView(PortalOrganisationMixin, View):
    def post(self, request, reminder_pk: int):
        reminder = self.scoped_object(self.scope.reminders(), pk=reminder_pk)
        reminder_mark_read(reminder=reminder, user=request.user)
        return redirect("portal:notifications")


class CalendarFeedView(PortalOrganisationMixin, TemplateView):
    """Issue or switch off the partner user's private calendar feed."""

    template_name = "portal/calendar_feed.html"
    portal_section = "notifications"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            token=calendar_feed_token_current(user=self.request.user), **kwargs
        )

    def post(self, request):
        if request.POST.get("action") == "revoke":
            calendar_feed_token_revoke(user=request.user)
            messages.success(
                request,
                "Your calendar feed is switched off; its old link stops working.",
            )
            return redirect("portal:calendar_feed")
        _, secret = calendar_feed_token_issue(user=request.user)
        feed_url = request.build_absolute_uri(
            reverse("calendar_feed", kwargs={"secret": secret})
        )
        return self.render_to_response(self.get_context_data(feed_url=feed_url))
