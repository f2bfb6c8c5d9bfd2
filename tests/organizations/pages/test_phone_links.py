"""Phone numbers a phone can call (tel: links), and the calendar address wrapping only between its parts."""

import pytest
from django.template import Context, Template

from niimi_portal.templatetags.portal import tel_href, url_breaks


def test_a_phone_number_becomes_a_tel_link_of_its_digits():
    assert tel_href("0867-72-6111") == "tel:0867726111"
    assert tel_href("０８６７－７２－６１１１（内線123）") == "tel:0867726111"
    assert tel_href("") == ""


@pytest.mark.django_db
def test_the_roster_and_the_footer_link_phone_numbers(client, module_demo):
    from staff.models import LiaisonOfficer

    # The demo's invented officers show no number at all (never the city's real one); a real officer's does.
    officer = LiaisonOfficer.objects.filter(assignments__isnull=False).first()
    LiaisonOfficer.objects.filter(pk=officer.pk).update(phone="0867-72-6111（内線123）", is_demo=False)
    officer.refresh_from_db()
    page = client.get("/liaisons/").content.decode()
    assert f'href="{tel_href(officer.phone)}">{officer.phone}</a>' in page
    assert 'class="tel" href="tel:' in client.get("/").content.decode()


def test_the_feed_address_wraps_only_after_slashes_and_dots():
    html = Template("{% load portal %}{{ url|url_breaks }}").render(
        Context({"url": "https://portal.example.jp/schedule.ics?a=1&b=<x>"})
    )
    assert html == (
        "https:/<wbr>/<wbr>portal.<wbr>example.<wbr>jp/<wbr>schedule.<wbr>ics?<wbr>a=<wbr>1&amp;<wbr>b=<wbr>&lt;x&gt;"
    )
    assert url_breaks("<script>") == "&lt;script&gt;"
