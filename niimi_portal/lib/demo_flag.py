"""The demo flag every record that may hold invented values carries: one field, one name.

A record marked here is labelled デモ wherever it appears (DESIGN.md: "Demo is visibly demo").
"""

from django.db import models

DEMO_LABEL = "デモ用のデータ"
DEMO_FIELD = "is_demo"


def demo_flag_field(help_text=""):
    """The `is_demo` field; a model whose clerks need a word on what counts as demo passes `help_text`."""
    return models.BooleanField(DEMO_LABEL, default=False, help_text=help_text)


class DemoFlag(models.Model):
    """Inherit to mark a model's rows as invented demo data (`is_demo`)."""

    is_demo = demo_flag_field()

    class Meta:
        abstract = True
