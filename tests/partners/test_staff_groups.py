"""The staff roles are groups with exactly the permissions their work needs."""

import importlib
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from ceop_crm import roles

pytestmark = pytest.mark.django_db

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

MANAGER_CHANGES = {
    *(
        f"partners.{action}_{model}"
        for model in PARTNERS_RECORDS
        for action in ("add", "change")
    ),
    "partners.delete_contact",
    "partners.delete_ownershiplevel",
    "tiers.add_tierchange",
    "tiers.add_tierchangeevidence",
    "tiers.add_benefitdelivery",
    "planning.change_review",
    "planning.change_milestone",
}

SENIOR_CHANGES = MANAGER_CHANGES | {
    "tiers.approve_tierchange",
    "tiers.change_tierchange",
    "tiers.add_association",
    "tiers.change_association",
    "planning.add_planningyear",
    "planning.change_planningyear",
    "planning.add_milestone",
    "planning.change_milestone",
}


def names(permissions) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


def group_permissions(name: str) -> set[str]:
    return names(
        Group.objects.get(name=name).permissions.select_related("content_type")
    )


@pytest.fixture
def views() -> set[str]:
    """Every view permission of the four domain apps' partnership models, history
    tables included: the models the groups migration knows."""
    state_apps = (
        MigrationLoader(connection)
        .project_state(("partners", "0002_staff_groups"))
        .apps
    )
    known = {
        f"{model._meta.app_label}.view_{model._meta.model_name}"
        for label in READ_APPS
        for model in state_apps.get_app_config(label).get_models()
    }
    every_view = names(
        Permission.objects.filter(
            content_type__app_label__in=READ_APPS, codename__startswith="view_"
        ).select_related("content_type")
    )
    return every_view & known


def test_later_models_are_not_granted_by_the_groups_migration():
    granted = group_permissions(roles.ANALYST)
    assert "planning.view_calendarfeedtoken" not in granted
    assert "planning.view_review" in granted


def test_the_three_staff_roles_exist_as_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.STAFF_ROLES)


def test_views_cover_every_model_of_the_domain_apps(views):
    assert {
        "priorities.view_priorityarea",
        "priorities.view_historicalpriorityarea",
        "tiers.view_association",
        "tiers.view_tierchange",
        "partners.view_organisation",
        "partners.view_contact",
        "planning.view_review",
        "planning.view_milestonetemplate",
    } <= views


def test_analyst_may_view_everything_and_change_nothing(views):
    granted = group_permissions(roles.ANALYST)

    assert granted == views
    assert not {p for p in granted if not p.split(".")[1].startswith("view_")}


def test_relationship_manager_views_and_records_the_relationship(views):
    assert group_permissions(roles.RELATIONSHIP_MANAGER) == views | MANAGER_CHANGES


def test_senior_manager_has_the_manager_permissions_and_approves(views):
    granted = group_permissions(roles.SENIOR_MANAGER)

    assert granted == views | SENIOR_CHANGES
    assert group_permissions(roles.RELATIONSHIP_MANAGER) < granted


def test_only_the_senior_manager_may_approve_tier_moves():
    approvers = Group.objects.filter(
        permissions__content_type__app_label="tiers",
        permissions__codename="approve_tierchange",
    )

    assert list(approvers.values_list("name", flat=True)) == [roles.SENIOR_MANAGER]


def test_no_role_may_change_reference_data_or_delete_records():
    allowed_deletes = {"partners.delete_contact", "partners.delete_ownershiplevel"}
    for role in roles.STAFF_ROLES:
        granted = group_permissions(role)
        assert not {
            p for p in granted if p.startswith("priorities.") and ".view_" not in p
        }
        assert not {p for p in granted if ".delete_" in p} - allowed_deletes
        assert not {
            p
            for p in granted
            if p.split("_", 1)[1] in {"tierlevel", "keycharacteristic", "benefit"}
            and ".view_" not in p
        }


def test_group_permissions_reach_a_user(django_user_model):
    manager = django_user_model.objects.create_user(username="rm")
    senior = django_user_model.objects.create_user(username="sm")
    analyst = django_user_model.objects.create_user(username="an")
    manager.groups.add(Group.objects.get(name=roles.RELATIONSHIP_MANAGER))
    senior.groups.add(Group.objects.get(name=roles.SENIOR_MANAGER))
    analyst.groups.add(Group.objects.get(name=roles.ANALYST))

    assert senior.has_perm("tiers.approve_tierchange")
    assert not manager.has_perm("tiers.approve_tierchange")
    assert manager.has_perm("partners.change_organisation")
    assert analyst.has_perm("partners.view_organisation")
    assert not analyst.has_perm("partners.change_organisation")


def test_staff_groups_migration_reverses_and_reapplies():
    migration = importlib.import_module("partners.migrations.0002_staff_groups")
    state_apps = (
        MigrationLoader(connection)
        .project_state(("partners", "0002_staff_groups"))
        .apps
    )
    before = {role: group_permissions(role) for role in roles.STAFF_ROLES}

    migration.delete_groups(state_apps, None)

    assert not Group.objects.filter(name__in=roles.STAFF_ROLES).exists()

    migration.create_groups(state_apps, SimpleNamespace(connection=connection))

    assert {role: group_permissions(role) for role in roles.STAFF_ROLES} == before
