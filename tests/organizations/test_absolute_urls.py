"""get_absolute_url(): an area's, an organization's and a case example's address, as reverse() gives it."""

import pytest
from django.urls import NoReverseMatch, set_script_prefix

from organizations.models import CaseStudy, Organization, Region


@pytest.mark.parametrize(
    ("model", "slug", "address"),
    [
        (Region, "karamatsu", "/regions/karamatsu/"),
        (Region, "大佐田治部", "/regions/%E5%A4%A7%E4%BD%90%E7%94%B0%E6%B2%BB%E9%83%A8/"),  # Japanese paths
        (Region, "100%", "/regions/100%25/"),
        (Region, "唐松 一区", "/regions/%E5%94%90%E6%9D%BE%20%E4%B8%80%E5%8C%BA/"),
        (CaseStudy, "a-b_c", "/cases/a-b_c/"),
        (Organization, "karamatsu-machizukuri", "/organizations/karamatsu-machizukuri/"),
    ],
)
def test_the_address_of_each_page(model, slug, address):
    assert model(slug=slug).get_absolute_url() == address


def test_a_site_under_a_sub_path_gets_its_own_addresses():
    set_script_prefix("/portal/")
    try:
        assert Region(slug="karamatsu").get_absolute_url() == "/portal/regions/karamatsu/"
    finally:
        set_script_prefix("/")
    assert Region(slug="karamatsu").get_absolute_url() == "/regions/karamatsu/"


@pytest.mark.parametrize("slug", ["", "a/b"])
def test_a_slug_reverse_refuses_is_still_refused(slug):
    with pytest.raises(NoReverseMatch):
        Organization(slug=slug).get_absolute_url()
