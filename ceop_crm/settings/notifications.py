"""Settings of email preferences, the daily digest and scheduled reports.

Read by base.py (``from ceop_crm.settings.notifications import *``).
"""

import environ
from celery.schedules import crontab

env = environ.Env()

# The team's mailbox: Reply-To of reminder, digest and scheduled-report mail.
MAIL_REPLY_TO = env("MAIL_REPLY_TO", default="")
# The daily digest: when (Europe/London), and staff on weekdays only.
DIGEST_TIME = env("DIGEST_TIME", default="08:00")
DIGEST_STAFF_WEEKDAYS_ONLY = env.bool("DIGEST_STAFF_WEEKDAYS_ONLY", default=True)
# A scheduled report larger than this is linked, not attached.
SCHEDULED_REPORT_ATTACH_MAX_BYTES = env.int(
    "SCHEDULED_REPORT_ATTACH_MAX_BYTES", default=5 * 1024 * 1024
)

_digest_minute = int(DIGEST_TIME.split(":")[1])

NOTIFICATION_BEAT_SCHEDULE = {
    # Every hour at the digest's minute: the service sends only from the
    # digest's time on, and the later runs of the day catch up an outage.
    "digests-send": {
        "task": "planning.digests_send",
        "schedule": crontab(minute=_digest_minute),
    },
    "scheduled-reports-send": {
        "task": "planning.scheduled_reports_send",
        "schedule": crontab(hour=6, minute=45),
    },
}
