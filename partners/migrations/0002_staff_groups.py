"""The staff roles as Django groups, with their permissions.

An analyst reads everything; a relationship manager also records the work of a
relationship; a senior manager also approves tier moves, opens associations and
plans the year. The group names are the constants of ceop_crm.roles.

Permissions are normally created after migrate (post_migrate), so they are
created here first, for every model the migration state knows at this point.
A model added by a later migration gets its permissions, but not a group's:
grant them in that migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Copied, not imported: a migration must not change when the code it once read does.
RELATIONSHIP_MANAGER = "Relationship manager"
SENIOR_MANAGER = "Senior manager"
ANALYST = "Analyst"

# Every view_* permission of these apps goes to every staff role.
READ_APPS = ("priorities", "tiers", "partners", "planning")

PARTNERS_RECORDS = (
    "organisation",
    "contact",
    "duediligence",
    "principleassessment",
    "mou",
    "ownershiplevel",
    "contribution",
    "proposal",
    "relationshipissue",
    "portalmembership",
)

# (app label, codename) beyond the views.
MANAGER_PERMISSIONS = [
    *(
        ("partners", f"{action}_{model}")
        for model in PARTNERS_RECORDS
        for action in ("add", "change")
    ),
    ("partners", "delete_contact"),
    ("partners", "delete_ownershiplevel"),
    ("tiers", "add_tierchange"),
    ("tiers", "add_tierchangeevidence"),
    ("tiers", "add_benefitdelivery"),
    ("planning", "change_review"),
    ("planning", "change_milestone"),
]

SENIOR_EXTRA_PERMISSIONS = [
    ("tiers", "approve_tierchange"),
    ("tiers", "change_tierchange"),
    ("tiers", "add_association"),
    ("tiers", "change_association"),
    ("planning", "add_planningyear"),
    ("planning", "change_planningyear"),
    ("planning", "add_milestone"),
    ("planning", "change_milestone"),
]


def _permissions(Permission, pairs):
    wanted = set(pairs)
    found = list(
        Permission.objects.filter(
            content_type__app_label__in={app for app, _ in wanted},
            codename__in={codename for _, codename in wanted},
        ).select_related("content_type")
    )
    found = [p for p in found if (p.content_type.app_label, p.codename) in wanted]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        # A renamed model must not silently take a permission away from a role.
        raise LookupError(f"Permissions not found: {sorted(missing)}")
    return found


def create_groups(apps, schema_editor):
    db_alias = schema_editor.connection.alias
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=db_alias)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    # The models this migration knows, not whatever later migrations add
    # (calendar tokens, outgoing mail): re-running it gives the same groups.
    view_pairs = {
        (model._meta.app_label, f"view_{model._meta.model_name}")
        for label in READ_APPS
        for model in apps.get_app_config(label).get_models()
    }
    views = _permissions(Permission, view_pairs)
    manager = [*views, *_permissions(Permission, MANAGER_PERMISSIONS)]
    senior = [*manager, *_permissions(Permission, SENIOR_EXTRA_PERMISSIONS)]

    for name, permissions in (
        (ANALYST, views),
        (RELATIONSHIP_MANAGER, manager),
        (SENIOR_MANAGER, senior),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def delete_groups(apps, schema_editor):
    # The permissions themselves stay: post_migrate would only make them again.
    apps.get_model("auth", "Group").objects.filter(
        name__in=[ANALYST, RELATIONSHIP_MANAGER, SENIOR_MANAGER]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("partners", "0002_initial"),
        ("planning", "0002_default_cycle"),
        ("priorities", "0002_reference_data"),
        ("tiers", "0002_reference_data"),
    ]

    operations = [
        migrations.RunPython(create_groups, delete_groups),
    ]
