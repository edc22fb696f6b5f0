"""Test clients whose force_login also passes the second factor.

The ``client``, ``admin_client`` and ``api_client`` fixtures (tests/conftest.py)
are these: a test that is not about signing in calls ``force_login(user)`` as
before, and the session is verified with a real authenticator of the user
(created, confirmed, when the user has none). Tests of the second factor itself
use a plain ``django.test.Client`` and the real pages.
"""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from ceop_crm.auth.selectors import second_factor_obliged


def authenticator_for(user) -> TOTPDevice:
    """The user's confirmed authenticator app, set up if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)
    return device


def totp_code(device: TOTPDevice) -> str:
    """The code the app shows now, or the next step's when this step's was used
    (a device refuses a code twice; time is often frozen in tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t is not None and totp.t() <= device.last_t:
        totp.drift = device.last_t + 1 - totp.t() + device.drift
    return f"{totp.token():0{device.digits}d}"


class _VerifyingLogin:
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if (
            second_factor_obliged(user)
            or TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        ):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
            session.save()


class VerifiedClient(_VerifyingLogin, Client):
    pass


class VerifiedAPIClient(_VerifyingLogin, APIClient):
    pass


def enrol(client: Client, user) -> list[str]:
    """Set up an authenticator on the real set-up page, as a person would:
    open it, compute the code its key gives, confirm. Returns the recovery codes."""
    from django.urls import reverse

    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200, page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert device.config_url in page.context["view"].device().config_url
    response = client.post(reverse("two_factor_setup"), {"token": totp_code(device)})
    assert response.status_code == 200, response
    return response.context["codes"]
