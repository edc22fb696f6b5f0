"""One reading of the client's address for the lockout, the public form's rate
limit and the metrics: a forwarded header counts only behind a declared proxy."""

from django.test import RequestFactory, override_settings

from ceop_crm.http import client_address


def _request(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", **meta)


def test_without_a_declared_proxy_a_forwarded_header_is_ignored():
    request = _request(HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client_address(request) == "10.0.0.5"


@override_settings(
    AXES_IPWARE_PROXY_COUNT=0,
    AXES_IPWARE_META_PRECEDENCE_ORDER=["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
    IPWARE_STRICT=False,
)
def test_behind_one_proxy_the_address_it_saw_is_the_client():
    # A client wrote "198.51.100.1" itself; the proxy appended what it saw.
    request = _request(HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert client_address(request) == "203.0.113.7"
