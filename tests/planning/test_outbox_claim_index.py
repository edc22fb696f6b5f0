"""The senders' claims read the unsent rows in id order from a partial index.

A claim (ceop_crm/mail.py ``_claim``) asks for the next unsent rows past the
last id its run claimed, in id order, 200 at a time. Read through the primary
key it walks past every sent row (and every reminder kept for the app or the
digest, which is never sent) after that bound; through the unsent index on
``sent_at`` it is a bitmap of every unsent row and a sort (0.3 to 1 s a claim
at 100,000 organisations). The partial indexes on ``id`` hold only the rows a
claim can take, in the claim's order.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ceop_crm import mail
from ceop_crm.models import OutboundEmail
from planning.models import Reminder
from planning.services import reminders_send
from tests import factories

pytestmark = pytest.mark.django_db


def _claim_sql(send) -> str:
    """The SQL of the first claim a sending run makes."""
    with CaptureQueriesContext(connection) as queries:
        send()
    claims = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and "SKIP LOCKED" in q["sql"]
    ]
    assert claims, [q["sql"] for q in queries.captured_queries]
    return claims[0]


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        # The statistics of this test's rows, whatever earlier tests left in
        # the catalogue (an ANALYZE inside a rolled-back test keeps its table
        # sizes: bench_sweep's tests run one).
        cursor.execute("ANALYZE planning_reminder, ceop_crm_outboundemail")
        # As on a large table: the planner may not read the table whole, nor
        # sort a handful of rows it would not sort by the hundred thousand
        # (README, "Reminder sweep"): of the paths left, the claim takes the
        # cheapest that gives the rows in id order.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def _reminders(count: int) -> list[Reminder]:
    recipient = factories.UserFactory()
    return Reminder.objects.bulk_create(
        Reminder(
            recipient=recipient,
            step=Reminder.Step.OTHER,
            subject_type="claim-test",
            subject_id=n,
            title=f"Reminder {n}",
            delivery="email" if n % 2 else "app",
        )
        for n in range(count)
    )


def _emails(count: int) -> list[OutboundEmail]:
    return OutboundEmail.objects.bulk_create(
        OutboundEmail(to=[f"p{n}@partner.example"], subject=f"Note {n}")
        for n in range(count)
    )


def _index_condition(table: str, name: str) -> str:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    assert name in constraints, sorted(constraints)
    assert constraints[name]["columns"] == ["id"]
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
        return cursor.fetchone()[0]


def test_the_claim_indexes_hold_only_the_unsent_by_id():
    reminder = _index_condition(Reminder._meta.db_table, "reminder_email_unsent_id")
    email = _index_condition(OutboundEmail._meta.db_table, "outboundemail_unsent_id")
    if connection.vendor == "postgresql":
        condition = "((delivery)::text = 'email'::text) AND (sent_at IS NULL)"
        assert f"WHERE ({condition})" in reminder, reminder
        assert "WHERE (sent_at IS NULL)" in email, email


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_a_reminder_claim_walks_the_unsent_email_index_without_a_sort():
    _reminders(6)
    # One claim of one row: its SQL is what the test reads.
    sql = _claim_sql(lambda: reminders_send(limit=1))
    plan = _plan(sql)

    assert "Index Scan using reminder_email_unsent_id" in plan, plan
    assert "Sort" not in plan, plan
    assert "Bitmap" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_an_email_claim_walks_the_unsent_index_without_a_sort():
    _emails(6)
    sql = _claim_sql(lambda: mail.outbound_email_send(limit=1))
    plan = _plan(sql)

    assert "Index Scan using outboundemail_unsent_id" in plan, plan
    assert "Sort" not in plan, plan
    assert "Bitmap" not in plan, plan


def test_sending_still_takes_each_unsent_email_once_and_leaves_the_app_ones():
    reminders = _reminders(6)
    emails = _emails(3)
    Reminder.objects.filter(pk=reminders[1].pk).update(sent_at=timezone.now())

    assert reminders_send().sent == 2  # the email reminders 3 and 5
    assert mail.outbound_email_send().sent == 3
    assert reminders_send().sent == 0
    assert mail.outbound_email_send().sent == 0
    assert set(
        Reminder.objects.filter(sent_at=None).values_list("delivery", flat=True)
    ) == {"app"}
    assert not OutboundEmail.objects.filter(pk__in=[e.pk for e in emails], sent_at=None)
