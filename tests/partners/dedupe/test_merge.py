"""Merging a duplicate organisation into the one kept."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from ceop_crm.exceptions import ApplicationError
from partners.dedupe.merge import (
    KEPT_RELATIONS,
    MOVED_RELATIONS,
    organisation_merge,
    organisation_merge_preview,
)
from partners.dedupe.models import OrganisationMerge
from partners.models import Contact, Organisation
from planning.models import Review
from tests import factories
from tests.factories import TODAY, tier
from tiers import services as tier_services
from tiers.models import TierChange

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), tick=False):
        yield


def test_every_relation_to_an_organisation_is_moved_or_kept_on_purpose():
    accessors = {r.get_accessor_name() for r in Organisation._meta.related_objects}
    assert accessors == set(MOVED_RELATIONS) | KEPT_RELATIONS


def _associated(org, code, actor, start):
    factories.DueDiligenceFactory(organisation=org)
    if tier(code).requires_mou:
        factories.MoUFactory(organisation=org)
    return tier_services.association_start(
        organisation=org, tier=tier(code), start=start, actor=actor
    )


@pytest.fixture
def duplicate(senior_manager):
    """B: an organisation with one of every record that points at an organisation."""
    b = factories.OrganisationFactory(
        name="Harbor Trust", website="https://harbor.example"
    )
    association = _associated(
        b, "official-supporter", senior_manager, TODAY - dt.timedelta(days=60)
    )
    contact = factories.ContactFactory(
        organisation=b, is_primary=True, name="Bea Primary"
    )
    factories.MoUFactory(organisation=b)
    factories.ContributionFactory(organisation=b)
    factories.ProposalFactory(organisation=b)
    factories.RelationshipIssueFactory(organisation=b)
    factories.PortalMembershipFactory(organisation=b, contact=contact)
    from tiers.models import Benefit

    tier_services.benefit_delivery_record(
        organisation=b,
        benefit=Benefit.objects.filter(tier=association.tier).first(),
        delivered_on=TODAY - dt.timedelta(days=10),
        actor=senior_manager,
    )
    TierChange.objects.create(
        organisation=b,
        from_association=association,
        to_tier=tier("partner"),
        direction="up",
        effective_date=TODAY,
        reason="Growing",
        requested_by=senior_manager,
    )
    from django.utils import timezone

    from activities.services import activity_record

    activity_record(
        actor=senior_manager,
        organisation=b,
        kind="call",
        occurred_at=timezone.now(),
        summary="Called about the merger",
        follow_up_title="Confirm the new name",
        follow_up_due=timezone.localdate(),
    )
    return b


def test_a_merge_moves_every_record_keeps_both_histories_and_records_itself(
    senior_manager, duplicate
):
    a = factories.OrganisationFactory(name="Harbour Trust", external_ref="")
    factories.ContactFactory(organisation=a, is_primary=True, name="Al Primary")
    a_history = a.history.count()
    counts = {
        accessor: getattr(duplicate, accessor).count() for accessor in MOVED_RELATIONS
    }
    empty = {k for k, n in counts.items() if not n}
    assert empty == {"import_rows", "merged_records", "joint_contributions"}

    preview = organisation_merge_preview(source=duplicate, target=a)
    assert preview.allowed
    assert ("contacts", 1) in [(label, n) for label, n in preview.moves]
    assert (
        "Al Primary stays primary; Bea Primary moves as an ordinary contact"
        in " ".join(preview.resolutions)
    )

    record = organisation_merge(source=duplicate, target=a, actor=senior_manager)

    for accessor, count in counts.items():
        assert getattr(duplicate, accessor).count() == 0, accessor
        assert getattr(a, accessor).count() >= count, accessor
    a.refresh_from_db()
    assert a.website == "https://harbor.example"  # filled from B
    assert a.status == Organisation.Status.ACTIVE  # B's association came with it
    assert a.contacts.filter(is_primary=True).get().name == "Al Primary"
    # B stays, merged, hidden and no longer blocking its name.
    b = Organisation.all_objects.get(pk=duplicate.pk)
    assert b.merged_into == a
    assert b.name_key == f"harbortrust~merged-{b.pk}"
    assert not Organisation.objects.filter(pk=b.pk).exists()
    factories.OrganisationFactory(name="Harbor Trust Ltd", sector="industry")
    # Both histories kept; the moves are in each record's history with the user.
    assert b.history.count() >= 2
    assert a.history.count() > a_history
    moved_contact = Contact.history.filter(name="Bea Primary").order_by("-history_id")[
        0
    ]
    assert moved_contact.organisation_id == a.pk
    assert moved_contact.history_user == senior_manager
    assert (record.merged_name, record.merged_by, record.target) == (
        "Harbor Trust",
        senior_manager,
        a,
    )
    assert record.merged_fields["website"] == "https://harbor.example"
    assert set(record.moved) >= {
        "contacts",
        "associations",
        "reviews",
        "portal_memberships",
    }
    assert OrganisationMerge.objects.get(merged=b) == record


def test_a_merge_of_two_current_associations_is_refused_and_changes_nothing(
    senior_manager,
):
    a = factories.OrganisationFactory(name="Harbour Trust")
    b = factories.OrganisationFactory(name="Harbor Trust")
    _associated(a, "official-supporter", senior_manager, TODAY - dt.timedelta(days=30))
    _associated(b, "official-supporter", senior_manager, TODAY - dt.timedelta(days=30))
    factories.ContactFactory(organisation=b)
    preview = organisation_merge_preview(source=b, target=a)
    assert not preview.allowed
    assert "Both organisations have a current association" in preview.refusals[0]
    with pytest.raises(ApplicationError, match="current association"):
        organisation_merge(source=b, target=a, actor=senior_manager)
    b.refresh_from_db()
    assert b.merged_into is None
    assert b.contacts.count() == 1


def test_a_merge_of_overlapping_past_associations_is_refused(senior_manager):
    a = factories.OrganisationFactory(name="Harbour Trust")
    b = factories.OrganisationFactory(name="Harbor Trust")
    old = _associated(
        b, "official-supporter", senior_manager, TODAY - dt.timedelta(days=300)
    )
    tier_services.association_end(
        association=old,
        end=TODAY - dt.timedelta(days=100),
        reason="Ended",
        actor=senior_manager,
    )
    _associated(a, "official-supporter", senior_manager, TODAY - dt.timedelta(days=200))
    preview = organisation_merge_preview(source=b, target=a)
    assert any("overlap in time" in r for r in preview.refusals)


def test_an_organisation_cannot_be_merged_into_itself_or_twice(senior_manager):
    a = factories.OrganisationFactory(name="Harbour Trust")
    b = factories.OrganisationFactory(name="Harbor Trust")
    assert organisation_merge_preview(source=a, target=a).refusals == [
        "An organisation cannot be merged into itself."
    ]
    organisation_merge(source=b, target=a, actor=senior_manager)
    b = Organisation.all_objects.get(pk=b.pk)
    with pytest.raises(ApplicationError, match="already been merged"):
        organisation_merge(source=b, target=a, actor=senior_manager)


def test_a_scheduled_review_in_a_window_both_hold_is_cancelled(senior_manager):
    a = factories.OrganisationFactory(name="Harbour Trust")
    b = factories.OrganisationFactory(name="Harbor Trust")
    assoc_b = _associated(
        b, "official-supporter", senior_manager, TODAY - dt.timedelta(days=30)
    )
    b_review = Review.objects.filter(organisation=b, status="scheduled").first()
    assert b_review is not None
    Review.objects.create(
        organisation=a,
        association=assoc_b,
        milestone=b_review.milestone,
        due_on=b_review.due_on,
        status="completed",
        completed_on=TODAY - dt.timedelta(days=400),
    )
    preview = organisation_merge_preview(source=b, target=a)
    assert preview.cancel_review_ids == [b_review.pk]
    organisation_merge(source=b, target=a, actor=senior_manager)
    b_review.refresh_from_db()
    assert b_review.status == "cancelled"
    assert "merged into Harbour Trust" in b_review.cancelled_reason


# --- Pages and old links ---------------------------------------------------------


@pytest.fixture
def merged(senior_manager):
    a = factories.OrganisationFactory(name="Harbour Trust")
    b = factories.OrganisationFactory(name="Harbor Trust")
    organisation_merge(source=b, target=a, actor=senior_manager)
    return a, b


@pytest.mark.parametrize(
    "name", ["organisation_detail", "organisation_history", "organisation_update"]
)
def test_old_workspace_links_of_a_merged_record_redirect_to_the_kept_one(
    client, senior_manager, merged, name
):
    a, b = merged
    client.force_login(senior_manager)
    response = client.get(reverse(f"partners:{name}", args=[b.pk]) + "?tab=x")
    assert response.status_code == 302
    assert response["Location"] == reverse(f"partners:{name}", args=[a.pk]) + "?tab=x"


def test_a_merged_records_link_tells_nothing_to_someone_signed_out(client, merged):
    _a, b = merged
    response = client.get(reverse("partners:organisation_detail", args=[b.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_api_answers_301_to_the_kept_organisation(client, analyst, merged):
    a, b = merged
    client.force_login(analyst)
    response = client.get(f"/api/v1/organisations/{b.pk}/")
    assert response.status_code == 301
    assert response["Location"].endswith(f"/api/v1/organisations/{a.pk}/")
    assert response.json()["url"] == response["Location"]
    listed = client.get("/api/v1/organisations/").json()
    ids = [o["id"] for o in listed["results"]]
    assert a.pk in ids
    assert b.pk not in ids


def test_a_partner_user_of_the_merged_record_now_sees_the_kept_one(
    client, senior_manager
):
    a = factories.OrganisationFactory(name="Harbour Trust")
    b = factories.OrganisationFactory(name="Harbor Trust")
    membership = factories.PortalMembershipFactory(organisation=b)
    organisation_merge(source=b, target=a, actor=senior_manager)
    client.force_login(membership.user)
    page = client.get("/portal/")
    assert page.status_code == 200
    assert "Harbour Trust" in page.content.decode()
    response = client.get(f"/api/v1/organisations/{b.pk}/")
    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 200


def test_a_partner_user_elsewhere_learns_nothing_of_a_merge(client, merged):
    _a, b = merged
    outsider = factories.PortalMembershipFactory()
    client.force_login(outsider.user)
    assert client.get(f"/api/v1/organisations/{b.pk}/").status_code == 404


def test_the_merged_record_is_hidden_from_the_workspace_list(client, analyst, merged):
    _a, _b = merged
    client.force_login(analyst)
    page = client.get(reverse("partners:organisation_list")).content.decode()
    assert "Harbour Trust" in page
    assert "Harbor Trust" not in page


def test_the_merge_page_previews_then_merges(client, senior_manager):
    a = factories.OrganisationFactory(name="Harbour Trust")
    b = factories.OrganisationFactory(name="Harbor Trust")
    factories.ContactFactory(organisation=b)
    client.force_login(senior_manager)
    url = reverse("partners:organisation_merge", args=[b.pk]) + f"?into={a.pk}"
    page = client.get(url).content.decode()
    assert "Contacts: 1" in page
    assert "Merge Harbor Trust into Harbour Trust" in page
    response = client.post(url)
    assert response["Location"] == reverse("partners:organisation_detail", args=[a.pk])
    assert Organisation.all_objects.get(pk=b.pk).merged_into == a


def test_a_refused_merge_shows_why_and_offers_no_button(client, senior_manager):
    a = factories.OrganisationFactory(name="Harbour Trust")
    b = factories.OrganisationFactory(name="Harbor Trust")
    _associated(a, "official-supporter", senior_manager, TODAY - dt.timedelta(days=30))
    _associated(b, "official-supporter", senior_manager, TODAY - dt.timedelta(days=30))
    client.force_login(senior_manager)
    url = reverse("partners:organisation_merge", args=[b.pk]) + f"?into={a.pk}"
    page = client.get(url).content.decode()
    assert "This merge is refused" in page
    assert 'type="submit" class="btn btn-danger"' not in page
    response = client.post(url)
    assert response.status_code == 302
    assert Organisation.objects.filter(pk=b.pk).exists()


def test_an_external_reference_names_one_organisation_in_the_database():
    from django.db import IntegrityError, transaction

    factories.OrganisationFactory(name="Harbour Trust", external_ref="R-1")
    twin = Organisation(name="Beacon", sector="industry", external_ref="R-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    # Blank references are many.
    factories.OrganisationFactory(name="Lantern", external_ref="")
    factories.OrganisationFactory(name="Compass", external_ref="")
