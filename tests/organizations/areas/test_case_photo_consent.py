"""Issue 32, item 2: a photo in which residents can be recognised is public only with their recorded consent;
withdrawing it takes the photo off the page and its URL at once, the page cache included."""

import datetime

import pytest
from django.utils import timezone

from organizations.models import CaseStudyPhoto
from tests.organizations.photos import form_for, picture

pytestmark = pytest.mark.django_db

CONSENT = {
    "shows_people": "on",
    "consent_given_by": "地区の住民代表 山田 一郎",
    "consent_given_on": "2026/4/1",
    "consent_method": "written",
}


def test_a_photo_of_people_without_consent_is_on_neither_the_page_nor_its_url(client, case):
    form = form_for(case, picture((80, 60)), shows_people="on")
    assert form.is_valid(), form.errors
    photo = form.save()
    assert "/photos/" not in client.get("/cases/workshop/").content.decode()
    assert client.get(photo.get_absolute_url()).status_code == 404


def test_with_a_recorded_consent_it_is_shown_and_withdrawing_hides_it_at_once(client, case):
    form = form_for(case, picture((80, 60)), **CONSENT)
    assert form.is_valid(), form.errors
    photo = form.save()
    assert f"/photos/{photo.pk}.jpg" in client.get("/cases/workshop/").content.decode()  # cached now
    assert client.get(photo.get_absolute_url()).status_code == 200

    photo.consent_withdrawn_on = timezone.localdate()
    photo.save()
    assert f"/photos/{photo.pk}.jpg" not in client.get("/cases/workshop/").content.decode()
    assert client.get(photo.get_absolute_url()).status_code == 404


def test_a_photo_without_people_needs_no_consent(client, case):
    photo = form_for(case, picture((80, 60))).save()  # the box 「人が写っている」 left unticked
    assert not photo.shows_people
    assert CaseStudyPhoto.objects.publishable().filter(pk=photo.pk).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({**CONSENT, "consent_given_by": ""}, "consent_given_by", "同意した人を入力してください。"),
        ({**CONSENT, "consent_method": ""}, "consent_method", "同意の方法を選んでください。"),
        ({**CONSENT, "consent_given_on": "2999/1/1"}, "consent_given_on", "先の日付は入力できません。"),
        ({"shows_people": "on", "consent_withdrawn_on": "2026/4/1"}, "consent_withdrawn_on", "撤回できません"),
    ],
)
def test_an_incomplete_consent_is_refused_beside_its_field(case, data, field, message):
    form = form_for(case, picture((80, 60)), **data)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_the_database_refuses_a_withdrawal_before_the_consent(case):
    from django.db import IntegrityError

    photo = form_for(case, picture((80, 60)), **CONSENT).save()
    photo.consent_withdrawn_on = photo.consent_given_on - datetime.timedelta(days=1)
    with pytest.raises(IntegrityError):
        photo.save()
