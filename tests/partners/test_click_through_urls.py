"""The figures' links are the lists' paths, reversed once per script prefix:
an app served under a prefix links under it, and one served at the root
does not, in the same process."""

from django.urls import reverse, set_script_prefix

from partners.click_through import coverage_urls, organisation_list_url


def test_links_follow_the_script_prefix():
    try:
        set_script_prefix("/ceop/")
        under = organisation_list_url(tier="partner")
        area = coverage_urls(area_pk=3)["area"]
    finally:
        set_script_prefix("/")
    at_root = organisation_list_url(tier="partner")
    assert under == "/ceop" + at_root
    assert at_root == reverse("partners:organisation_list") + "?tier=partner"
    assert area == "/ceop" + reverse("priorities:priority_area_detail", args=[3])
    assert coverage_urls(area_pk=3)["area"] == reverse(
        "priorities:priority_area_detail", args=[3]
    )
