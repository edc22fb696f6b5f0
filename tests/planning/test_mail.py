import pytest
from django.core import mail

from ceop_crm import mail as outbox
from ceop_crm.celery import app as celery_app
from ceop_crm.exceptions import ApplicationError
from ceop_crm.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _broker_not_paused(monkeypatch):
    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)


@pytest.fixture
def eager(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)


def _queue(**kwargs):
    return outbox.email_queue(
        to=kwargs.pop("to", ["someone@partner.example"]),
        subject="Welcome",
        template="notice",
        context={"title": "Welcome", "message": "Hello", "link": "/portal/"},
        **kwargs,
    )


def test_email_queue_sends_html_and_text_after_commit(
    eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
        assert mail.outbox == []
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 1
    [message] = mail.outbox
    assert message.to == ["someone@partner.example"]
    assert "Hello" in message.body
    assert message.alternatives[0].mimetype == "text/html"
    assert "<h1" in message.alternatives[0].content


def test_email_queue_refuses_a_bad_address_and_stores_nothing():
    with pytest.raises(ApplicationError) as error:
        _queue(to=["not an address"])
    assert "to" in error.value.message_dict
    assert not OutboundEmail.objects.exists()


def test_email_queue_with_a_key_stores_one_email():
    first = _queue(key="welcome:1")
    second = _queue(key="welcome:1")
    assert first.pk == second.pk
    assert OutboundEmail.objects.count() == 1


def test_email_queue_survives_a_broker_outage(
    monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(outbox.send_outbound_emails_task, "apply_async", broken)
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
    email.refresh_from_db()
    assert email.sent_at is None
    # The sweep's catch-up sends it later.
    assert outbox.outbound_email_send().sent == 1
    email.refresh_from_db()
    assert email.sent_at is not None


def test_failed_send_backs_off_and_keeps_the_error(settings, monkeypatch):
    email = _queue()

    def failing_send(self, fail_silently=False):
        raise OSError("SMTP down")

    monkeypatch.setattr(outbox.EmailMultiAlternatives, "send", failing_send)
    result = outbox.outbound_email_send()
    assert result.failed == 1
    email.refresh_from_db()
    assert email.sent_at is None
    assert email.attempts == 1
    assert "SMTP down" in email.last_error
    assert email.next_attempt_at is not None
    # Not retried before its backoff has passed.
    assert outbox.outbound_email_send().failed == 0
    monkeypatch.undo()
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=None)
    assert outbox.outbound_email_send().sent == 1


def test_mail_backoff_doubles_up_to_its_cap(settings):
    settings.MAIL_RETRY_BASE_SECONDS = 60
    settings.MAIL_RETRY_MAX_SECONDS = 600
    assert [outbox.mail_backoff(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [
        60,
        120,
        240,
        480,
        600,
    ]


@pytest.mark.parametrize("count", [10, 150])
def test_outbound_email_send_claims_each_row_once_in_few_queries(
    count, django_assert_max_num_queries
):
    for n in range(count):
        _queue(to=[f"p{n}@partner.example"])
    with django_assert_max_num_queries(10):
        assert outbox.outbound_email_send().sent == count
    assert outbox.outbound_email_send().sent == 0
    assert len(mail.outbox) == count


def test_each_claim_of_a_run_starts_past_the_last_row_it_claimed(monkeypatch):
    """One sending run is one pass in id order: a later batch's claim reads on
    from the previous batch's last id, never from the first unsent row again
    (each claim would otherwise re-read every row the run already sent)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(outbox, "BATCH_SIZE", 2)
    for n in range(5):
        _queue(to=[f"p{n}@partner.example"])
    ids = sorted(OutboundEmail.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        assert outbox.outbound_email_send().sent == 5
    claims = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT")
        and "ORDER BY" in q["sql"]
        and "LIMIT 2" in q["sql"]
    ]
    # Three batches of two, two and one, and the claim that finds nothing.
    assert len(claims) == 4
    table = OutboundEmail._meta.db_table
    for claim, after in zip(claims, [0, ids[1], ids[3], ids[4]], strict=True):
        assert f'"{table}"."id" > {after}' in claim, claim
    assert len(mail.outbox) == 5
