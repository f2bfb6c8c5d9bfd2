"""Demo mode (settings.DEMO_MODE, env DJANGO_DEMO_MODE): the one switch that makes the demo unmistakable.

On (``make run``, the demo): a banner on every page and PDF, the デモ label beside every record flagged
``is_demo``, and an example contact in place of the city's real desk. Off (production, and the tests unless a
test turns it on with ``override_settings(DEMO_MODE=True)``): no banner, no label, the city's contact.
The city's own words (its Q&A, 市報) are never flagged and so never labelled.

A leaf helper: it reads only Django's settings, so templates rendered without a request (the PDFs) use it too.
"""

from django.conf import settings

BANNER_TEXT = "これはデモ版です。組織・人・予定・金額などに架空の内容を含みます。新見市の公式の情報ではありません。"
# The contact shown instead of the city's desk while the mode is on: visibly an example, no real number.
EXAMPLE_CONTACT = {
    "CONTACT_DEPARTMENT": "（例）○○部 ○○課 ○○係",
    "CONTACT_PHONE": "0000-00-0000",
    "CONTACT_ADDRESS": "〒000-0000 （例）○○市○○町1番地",
    "CONTACT_FAX": "0000-00-0000",
    "CONTACT_HOURS": "（例）平日 午前9時から午後5時まで",
    "CONTACT_FORM_URL": "",
    "CONTACT_IS_EXAMPLE": True,
}


def demo_mode():
    """Whether the demo mode is on."""
    return bool(getattr(settings, "DEMO_MODE", False))


def shown_as_demo(value):
    """Whether `value` (a record with `is_demo`, or a stored true/false) is labelled デモ: only in demo mode."""
    if not demo_mode():
        return False
    return bool(value) if isinstance(value, bool) else bool(getattr(value, "is_demo", False))


def portal_facts():
    """settings.PORTAL, with the example contact in place of the city's while the demo mode is on."""
    if demo_mode():
        return {**settings.PORTAL, **EXAMPLE_CONTACT}
    return settings.PORTAL
