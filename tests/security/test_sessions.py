"""Staff sessions slide: activity keeps them alive, a working day of inactivity ends them."""

import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from niimi_portal.middleware import REFRESH_SECONDS, REFRESHED_KEY

pytestmark = pytest.mark.django_db


def session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_session_lasts_a_working_day(client, policy_officer, settings):
    client.force_login(policy_officer)
    remaining = session_row(client).expire_date - timezone.now()
    assert datetime.timedelta(hours=8, minutes=59) < remaining <= datetime.timedelta(hours=9)
    assert settings.SESSION_COOKIE_AGE == 9 * 60 * 60


def test_an_idle_session_has_expired(client, policy_officer):
    client.force_login(policy_officer)
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_activity_pushes_the_expiry_forward(client, policy_officer):
    client.force_login(policy_officer)
    session = client.session
    session[REFRESHED_KEY] = int(time.time()) - REFRESH_SECONDS - 60
    session.save()
    Session.objects.filter(pk=session.session_key).update(expire_date=timezone.now() + datetime.timedelta(hours=1))
    assert client.get("/admin/").status_code == 200
    assert session_row(client).expire_date - timezone.now() > datetime.timedelta(hours=8, minutes=59)


def test_a_resident_gets_no_session(client, db):
    response = client.get("/")
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
