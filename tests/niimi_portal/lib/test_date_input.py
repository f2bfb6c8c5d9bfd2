"""The date form field and its input: 和暦 read, the format it wants said, 和暦 shown."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from niimi_portal.lib.dates import WarekiDateField, WarekiDateInput
from niimi_portal.lib.wareki import INPUT_HINT


def test_the_form_field_reads_wareki_and_refuses_beside_the_field():
    field = WarekiDateField(label="決定日")
    assert field.clean("令和8年4月12日") == datetime.date(2026, 4, 12)
    assert field.help_text == INPUT_HINT
    with pytest.raises(ValidationError) as refused:
        field.clean("令和1年4月30日")
    assert "令和は令和元年5月1日" in str(refused.value)
    assert WarekiDateField(help_text="この日から使います").help_text == f"この日から使います（{INPUT_HINT}）"
    rendered = WarekiDateInput().render("day", datetime.date(2026, 4, 12))
    assert 'type="text"' in rendered and 'value="令和8年4月12日"' in rendered
