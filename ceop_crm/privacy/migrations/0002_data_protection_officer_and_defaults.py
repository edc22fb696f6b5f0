"""The "Data protection officer" group, the retention periods and the privacy notice.

The group gets what admin shows the role: the read log and erasure events to
read (never to change), the retention periods and the privacy notice to edit.
The person search, exports and erasure pages check the group itself
(ceop_crm.roles.is_data_protection_officer).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Copied, not imported: a migration must not change when the code it once read does.
DATA_PROTECTION_OFFICER = "Data protection officer"

PERMISSIONS = [
    ("privacy", "view_readlogentry"),
    ("privacy", "view_erasureevent"),
    ("privacy", "view_retentionperiod"),
    ("privacy", "change_retentionperiod"),
    ("privacy", "view_privacynotice"),
    ("privacy", "change_privacynotice"),
    ("privacy", "view_subjectaccessexport"),
]

DEFAULT_DAYS = [
    (
        "ended_relationship_contacts",
        730,
        "Contacts of an organisation whose relationship ended (status ended, last "
        "association ended) this many days ago are anonymised, with their history.",
    ),
    (
        "declined_proposal_senders",
        365,
        "The sender's name, email and account of a proposal declined this many days "
        "ago are cleared, in every version.",
    ),
    (
        "sent_email_bodies",
        90,
        "The body of an email this many days after it was sent is cleared; the "
        "subject, addresses and dates stay.",
    ),
    ("read_reminders", 180, "A reminder read this many days ago is deleted."),
    (
        "erased_history",
        30,
        "The anonymised history versions of an erased contact or MoU owner are "
        "deleted this many days after the erasure.",
    ),
    (
        "failed_sign_ins",
        90,
        "Failed sign-in records (lockout counters and the failure log) older than "
        "this are deleted.",
    ),
    ("read_log", 730, "Read log entries older than this are deleted."),
    (
        "subject_access_exports",
        30,
        "A subject access export (the ZIP file and its request) is deleted this "
        "many days after it was asked for.",
    ),
]

NOTICE = """CEOP holds the personal data of people at partner organisations and of people who approach CEOP about working together: names, job titles, work email addresses and telephone numbers, what you send us through the portal or the public form, and the emails we send you.

We use it to run our relationships with partner organisations under CEOP's Relationship Management Strategy: to contact you about the partnership, agreements, reviews and support offered. The lawful basis is our public task.

Only CEOP staff who manage partnerships can read it, and every read of a contact's details is logged. We keep it for as long as the relationship lasts and for a set period afterwards, then anonymise or delete it.

You may ask for a copy of the data we hold about you, ask us to correct it, or ask us to erase it, by writing to the data protection officer. You may also complain to the Information Commissioner's Office."""


def forwards(apps, schema_editor):
    db_alias = schema_editor.connection.alias
    app_config = apps.get_app_config("privacy")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=db_alias)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="privacy",
            codename__in=[codename for _, codename in PERMISSIONS],
        )
    )
    if len(permissions) != len(PERMISSIONS):
        raise LookupError("A data protection permission is missing.")
    group, _ = Group.objects.get_or_create(name=DATA_PROTECTION_OFFICER)
    group.permissions.set(permissions)

    RetentionPeriod = apps.get_model("privacy", "RetentionPeriod")
    for kind, days, description in DEFAULT_DAYS:
        RetentionPeriod.objects.get_or_create(
            kind=kind, defaults={"days": days, "description": description}
        )
    PrivacyNotice = apps.get_model("privacy", "PrivacyNotice")
    PrivacyNotice.objects.get_or_create(
        pk=1, defaults={"title": "Privacy notice", "body": NOTICE}
    )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name=DATA_PROTECTION_OFFICER
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_data_protection_records"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
