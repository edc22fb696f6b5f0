"""The default delivery of each kind of notice, for staff and for partner users.

Everything by email at once, as before preferences existed, so no one stops
getting what they got; escalations and approvals can never be app-only.
Administrators change the defaults in admin; people choose their own.
"""

from django.db import migrations

KINDS = (
    "reviews",
    "mous",
    "due_diligence",
    "milestones",
    "issues",
    "escalations",
    "approvals",
)
DEFAULTS = {
    ("staff", kind): "email" for kind in KINDS
} | {("partner", kind): "email" for kind in KINDS}


def seed(apps, schema_editor):
    default = apps.get_model("planning", "NotificationDefault")
    for (audience, kind), delivery in DEFAULTS.items():
        default.objects.update_or_create(
            kind=kind, audience=audience, defaults={"delivery": delivery}
        )


def unseed(apps, schema_editor):
    apps.get_model("planning", "NotificationDefault").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("planning", "0010_email_preferences_digests_scheduled_reports")]

    operations = [migrations.RunPython(seed, unseed)]
