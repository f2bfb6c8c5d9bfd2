"""slug_url(): the address reverse() gives, without matching the pattern for every row of a list."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from niimi_portal.lib.urls import slug_url


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("organizations:region_detail", "karamatsu"),
        ("organizations:region_detail", "大佐田治部"),  # areas have Japanese paths (<str:slug>)
        ("organizations:region_detail", "100%"),
        ("organizations:region_detail", "唐松 一区"),
        ("organizations:case_detail", "a-b_c"),
        ("organizations:organization_detail", "karamatsu-machizukuri"),
    ],
)
def test_the_same_address_as_reverse(name, slug):
    assert slug_url(name, slug) == reverse(name, args=[slug])


def test_a_site_under_a_sub_path_gets_its_own_addresses():
    set_script_prefix("/portal/")
    try:
        assert slug_url("organizations:region_detail", "karamatsu") == "/portal/regions/karamatsu/"
    finally:
        set_script_prefix("/")
    assert slug_url("organizations:region_detail", "karamatsu") == "/regions/karamatsu/"


@pytest.mark.parametrize("slug", ["", "a/b"])
def test_a_slug_reverse_refuses_is_still_refused(slug):
    with pytest.raises(NoReverseMatch):
        slug_url("organizations:organization_detail", slug)
