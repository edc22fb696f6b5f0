"""Logo and brand: driven by the tier's benefits (grants_logo), not by tier names."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.portal.conftest import make_partner_world
from tiers.models import Benefit

pytestmark = pytest.mark.django_db


def _brand(client, world):
    client.force_login(world.user)
    return client.get(reverse("portal:brand")), client.get(reverse("portal:logo"))


def test_official_supporter_downloads_the_logo_and_reads_the_terms(
    client, frozen_today
):
    world = make_partner_world("Delta Trust", "official-supporter")
    page, logo = _brand(client, world)
    assert page.context["logo_entitled"] is True
    assert "Brand association terms" in page.content.decode()
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/svg+xml"
    assert b"<svg" in logo.content
    download = client.get(reverse("portal:logo") + "?download=1")
    assert download["Content-Disposition"].startswith("attachment")


def test_partner_sees_the_joint_marketing_terms_of_its_mou_and_no_logo(client, world_a):
    page, logo = _brand(client, world_a)
    body = page.content.decode()
    assert "Alpha Systems marketing terms" in body
    assert "Download the logo" not in body
    assert logo.status_code == 403


def test_supplier_sees_the_factual_statement_rule_and_gets_no_logo(
    client, frozen_today
):
    world = make_partner_world("Echo Supplies", "supplier")
    page, logo = _brand(client, world)
    body = page.content.decode()
    assert "factual-statement rule" in body
    # The strategy's own words, and the policy they name, linked.
    assert "they cannot promote themselves as associated with CEOP." in body
    assert 'href="https://www.ceop.police.uk/publications"' in body
    assert "Download the logo" not in body
    assert logo.status_code == 403
    home = client.get(reverse("portal:home"))
    assert home.context["home"].benefits == []
    assert "Benefits of your level" not in home.content.decode()
    assert "factual-statement rule" in home.content.decode()


def test_logo_follows_the_benefit_not_the_tier_name(client, world_a, frozen_today):
    partner_benefit = Benefit.objects.filter(
        tier=world_a.organisation.associations.get().tier
    ).first()
    partner_benefit.grants_logo = True
    partner_benefit.save()
    _, logo = _brand(client, world_a)
    assert logo.status_code == 200
    Benefit.objects.filter(text="Use of Official Supporter logo").update(
        grants_logo=False
    )
    supporter = make_partner_world("Foxtrot Group", "official-supporter")
    _, logo = _brand(client, supporter)
    assert logo.status_code == 403


def test_organisation_without_association_gets_no_logo(client, world_a):
    # Its association has an end (today), so it is no longer current, while the
    # relationship still runs today (after that, the portal closes altogether).
    world_a.organisation.associations.update(end=timezone.localdate())
    page, logo = _brand(client, world_a)
    assert "no current association" in page.content.decode()
    assert logo.status_code == 403
