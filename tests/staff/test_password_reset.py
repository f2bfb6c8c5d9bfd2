"""Password reset works, in Japanese and branded 新見市, with the mail read back from a real SMTP server."""

import re

import pytest
from django.contrib.auth.models import User

from tests.mail import send_outbox

pytestmark = pytest.mark.django_db


def test_a_staff_member_resets_the_password_through_the_mailed_link(client, inbox, assigned_liaison):
    assigned_liaison.email = "tanto1@city.example"
    assigned_liaison.save()
    form = client.get("/accounts/password_reset/").content.decode()
    assert "パスワードの再設定" in form and "Django" not in form and "新見市" in form
    response = client.post("/accounts/password_reset/", {"email": "tanto1@city.example"}, follow=True)
    assert "再設定のメールを送りました" in response.content.decode()
    assert inbox.messages == []  # queued in the outbox until send_outbox runs
    send_outbox()
    assert len(inbox.messages) == 1 and inbox.messages[0]["to"] == ["tanto1@city.example"]
    assert inbox.subjects()[0] == "[新見市 小規模多機能自治] パスワードの再設定"
    body = inbox.body(0)
    assert "新見市 小規模多機能自治ポータル" in body and "Django" not in body
    link = re.search(r"http://testserver(/accounts/reset/\S+)", body).group(1)
    confirm = client.get(link, follow=True)
    assert "新しいパスワードの設定" in confirm.content.decode()
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": "Niimi-karamatsu-2026", "new_password2": "Niimi-karamatsu-2026"},
        follow=True,
    )
    assert "パスワードを変更しました" in done.content.decode()
    assert User.objects.get(pk=assigned_liaison.pk).check_password("Niimi-karamatsu-2026")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, inbox):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"}, follow=True)
    assert "再設定のメールを送りました" in response.content.decode()
    send_outbox()
    assert inbox.messages == []


def test_the_login_page_links_to_the_reset(client):
    assert 'href="/accounts/password_reset/"' in client.get("/accounts/login/").content.decode()
