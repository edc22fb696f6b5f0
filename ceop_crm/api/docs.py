"""The API's documentation pages: to a visitor who is not signed in, how to get in.

drf-spectacular's Swagger UI and ReDoc pages need a signed-in user (the schema
describes who may do what); instead of its bare 401, a visitor gets a page that
says how to sign in, or how another system gets and sends a token. The answer
keeps the 401 status.
"""

from django.shortcuts import render
from django.urls import reverse
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView


class _SignInFirst:
    def dispatch(self, request, *args, **kwargs):
        # A caller sending a token is a program: DRF answers it as before.
        if not request.user.is_authenticated and "authorization" not in request.headers:
            return render(
                request,
                "api/sign_in_first.html",
                {
                    "staff_sign_in": f"{reverse('login')}?next={request.path}",
                    "portal_sign_in": reverse("portal:login"),
                },
                status=401,
            )
        return super().dispatch(request, *args, **kwargs)


class ApiDocsView(_SignInFirst, SpectacularSwaggerView):
    pass


class ApiRedocView(_SignInFirst, SpectacularRedocView):
    pass
