"""The workspace's date fields read 和暦 and refuse in Japanese beside the field."""

import html
import re

import pytest
from django.urls import reverse

from niimi_portal.lib.wareki import wareki_date
from staff.models import Meeting

pytestmark = pytest.mark.django_db


def test_the_workspace_meeting_form_saves_a_date_typed_in_wareki(
    client, assigned_liaison, organization, valid_meeting_data, today
):
    client.force_login(assigned_liaison)
    typed = wareki_date(today).replace("令和", "R").replace("年", ".").replace("月", ".").rstrip("日")
    data = {**valid_meeting_data, "date": wareki_date(today), "steps-0-due_date": typed}
    url = reverse("staff:meeting_create", kwargs={"kind": "organization", "slug": organization.slug})
    response = client.post(url, data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.date == today and meeting.next_steps.get().due_date == today
    edit = client.get(reverse("staff:meeting_edit", args=[meeting.pk])).content.decode()
    assert re.search(
        rf'<input type="text" name="date" value="{wareki_date(today)}"[^>]*placeholder="例: 令和8年4月12日"', edit
    )


def test_the_workspace_refuses_a_day_that_does_not_exist_beside_the_field(
    client, assigned_liaison, organization, valid_meeting_data
):
    client.force_login(assigned_liaison)
    url = reverse("staff:meeting_create", kwargs={"kind": "organization", "slug": organization.slug})
    response = client.post(url, {**valid_meeting_data, "date": "令和8年2月30日"})
    assert response.status_code == 200 and not Meeting.objects.exists()
    page = html.unescape(response.content.decode())
    error = re.search(r'id="error_1_id_date"><strong>(.*?)</strong>', page, re.S)
    assert error and error.group(1) == "「令和8年2月30日」という日はありません。月と日を確かめてください。"
