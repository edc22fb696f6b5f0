"""What a partner reads through the API is what the portal shows them.

For every resource a partner user can read, the fields of its list and detail
answers are compared with an explicit allow-list: CEOP's own review assessment,
the staff who own an organisation and CEOP's notes on ended associations and
MoUs stay with CEOP. A new resource opened to partners fails here until its
allow-list is written.
"""

import pytest
from django.urls import reverse

from ceop_crm.api_urls import router
from partners.models import Contact
from tests.api.conftest import token_client
from tests.api.test_access_matrix import object_pair

pytestmark = pytest.mark.django_db

STAMPS = {"created_at", "updated_at"}
ALLOWED = {
    "organisation": {
        "id",
        "name",
        "sector",
        "status",
        "website",
        "country",
        "description",
        "current_tier",
        *STAMPS,
    },
    "contact": {
        "id",
        "organisation",
        "name",
        "job_title",
        "email",
        "phone",
        "is_primary",
        *STAMPS,
    },
    "mou": {
        "id",
        "organisation",
        "title",
        "status",
        "start",
        "end",
        "signed_on",
        "ceop_signatory",
        "partner_signatory",
        "document",
        "centre_plan_objectives",
        "market_equally",
        "joint_marketing_terms",
        "terminated_on",
        "ownership_levels",
        *STAMPS,
    },
    "contribution": {
        "id",
        "organisation",
        "kind",
        "title",
        "description",
        "priority_areas",
        "centre_plan_objectives",
        "status",
        "start",
        "end",
        "outcomes",
        # The other organisations working on it, by name only (see below).
        "involved_organisations",
        *STAMPS,
    },
    "proposal": {
        "id",
        "organisation",
        "source",
        "title",
        "offer",
        "kind",
        "priority_areas",
        "threat",
        "new_threat",
        "contact_name",
        "contact_email",
        "status",
        "decided_at",
        "decline_reason",
        "contribution",
        *STAMPS,
    },
    "association": {
        "id",
        "organisation",
        "tier",
        "tier_code",
        "start",
        "end",
        "mou",
        "is_current",
        *STAMPS,
    },
    "benefit-delivery": {
        "id",
        "organisation",
        "association",
        "benefit",
        "delivered_on",
        "description",
        *STAMPS,
    },
    "review": {
        "id",
        "organisation",
        "milestone",
        "due_on",
        "status",
        "completed_on",
        *STAMPS,
    },
    "reminder": {
        "id",
        "step",
        "subject_type",
        "subject_id",
        "title",
        "body",
        "url",
        "due_on",
        "created_at",
        "sent_at",
        "read_at",
    },
    "planning-year": {"id", "label", "start", "end", *STAMPS},
    "milestone": {
        "id",
        "planning_year",
        "kind",
        "name",
        "description",
        "date",
        "end_date",
        "quarter",
        "audience",
        "reminder_lead_days",
        *STAMPS,
    },
    "tier-level": {
        "id",
        "code",
        "name",
        "rank",
        "definition",
        "is_association",
        "monitoring_frequency",
        "requires_mou",
        "benefits_allowed",
        "characteristics",
        "benefits",
    },
    "objective": {"id", "code", "description", "order"},
    "priority-area": {
        "id",
        "number",
        "title",
        "summary",
        "objectives",
        "is_current",
        *STAMPS,
    },
    "principle": {"id", "order", "title", "text"},
}
PARTNER_READABLE = sorted(
    basename for _p, viewset, basename in router.registry if viewset.partner_access
)


def test_every_resource_a_partner_reads_has_an_allow_list():
    assert set(PARTNER_READABLE) == set(ALLOWED)


@pytest.mark.parametrize("basename", PARTNER_READABLE)
def test_partner_reads_only_the_allowed_fields(basename, world, partner_user):
    client = token_client(partner_user)
    own, _other = object_pair(basename, world, partner_user)
    listing = client.get(reverse(f"api:v1:{basename}-list"))
    assert listing.status_code == 200
    rows = listing.json()["results"]
    assert rows, f"nothing listed for {basename}"
    for row in rows:
        assert set(row) == ALLOWED[basename], basename
    detail = client.get(reverse(f"api:v1:{basename}-detail", args=[own.pk]))
    assert detail.status_code == 200
    assert set(detail.json()) == ALLOWED[basename]


def test_staff_still_read_ceops_own_assessment_and_owners(world, analyst):
    client = token_client(analyst)
    review = client.get(
        reverse("api:v1:review-detail", args=[world.own.objects["review"].pk])
    ).json()
    assert {"recommendation", "progress", "conducted_by"} <= set(review)
    organisation = client.get(
        reverse("api:v1:organisation-detail", args=[world.own.organisation.pk])
    ).json()
    assert {"owner", "deputy"} <= set(organisation)


def test_partner_mou_links_to_the_portal_download(world, partner_user):
    from django.core.files.base import ContentFile

    mou = world.own.objects["mou"]
    mou.document.save("signed.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    body = token_client(partner_user).get(reverse("api:v1:mou-detail", args=[mou.pk]))
    assert body.json()["document"] == (
        f"http://testserver/portal/mou/{mou.pk}/document/"
    )


def test_partner_cannot_delete_the_contact_linked_to_their_account(partner_user):
    membership = partner_user.portal_membership
    own = Contact.objects.create(
        organisation=membership.organisation, name="Me Myself", email="me@x.example"
    )
    membership.contact = own
    membership.save()
    response = token_client(partner_user).delete(
        reverse("api:v1:contact-detail", args=[own.pk])
    )
    assert response.status_code == 400
    assert "linked to your own portal account" in str(response.json())
    assert Contact.objects.filter(pk=own.pk).exists()
