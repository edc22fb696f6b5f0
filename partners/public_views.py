"""Public pages: CEOP's priorities and the approach form (no sign-in)."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from ceop_crm.forms import add_service_error
from ceop_crm.http import client_address
from partners.portal.selectors import priority_area_list
from partners.public_forms import ApproachForm
from partners.public_services import approach_submit

# Attempts per address per window; settings may override both.
RATE_LIMIT = 10
RATE_WINDOW_SECONDS = 60 * 60
# A genuine approach is a few kilobytes; anything far larger is refused unread.
MAX_BODY_BYTES = 64 * 1024


def approach_attempts_add(*, address: str) -> int:
    """Count one attempt from an address in the current window; return the count.

    The count lives in the "public" cache, which every web process shares
    (Redis, or the database on the embedded default), so adding processes does
    not multiply the limit.
    """
    cache = caches["public"]
    window = getattr(settings, "PUBLIC_APPROACH_RATE_WINDOW", RATE_WINDOW_SECONDS)
    key = f"public-approach:{address}"
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


class ApproachView(FormView):
    template_name = "public/approach.html"
    form_class = ApproachForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["priority_areas"] = priority_area_list()
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(priority_areas=priority_area_list(), **kwargs)

    def _refuse(self, status: int, message: str):
        form = self.get_form_class()(priority_areas=priority_area_list())
        response = self.render_to_response(
            self.get_context_data(form=form, refusal=message)
        )
        response.status_code = status
        return response

    def post(self, request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > getattr(settings, "PUBLIC_APPROACH_MAX_BYTES", MAX_BODY_BYTES):
            return self._refuse(
                413,
                "Your message is too large to send. Please shorten it (the offer "
                "can be up to 5,000 characters) and try again.",
            )
        limit = getattr(settings, "PUBLIC_APPROACH_RATE_LIMIT", RATE_LIMIT)
        if approach_attempts_add(address=client_address(request)) > limit:
            return self._refuse(
                429,
                "We have received several approaches from your network in the last "
                "hour. Please try again later, or email partners@ceop.example.",
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if form.is_bot:
            # Answer as if accepted, so the bot learns nothing; save nothing.
            return redirect("public:thanks")
        data = dict(form.cleaned_data)
        data.pop("fax_number", None)
        try:
            proposal = approach_submit(**data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        self.request.session["approach_reference"] = f"P-{proposal.pk:06d}"
        return redirect("public:thanks")

    def form_invalid(self, form):
        if form.is_bot:
            return redirect("public:thanks")
        messages.error(
            self.request,
            "Please check the highlighted fields; nothing has been sent yet.",
        )
        return super().form_invalid(form)


class ApproachThanksView(TemplateView):
    template_name = "public/thanks.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reference=self.request.session.get("approach_reference"), **kwargs
        )
