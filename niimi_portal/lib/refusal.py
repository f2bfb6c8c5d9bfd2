"""One refusal type for every service: `ValidationError({field: [message]})`.

A service that refuses a step raises it with the form field the message belongs beside (or
NON_FIELD_ERRORS when it belongs to the whole form); the view or admin hands it to the form with
`add_refusal`, so the message shows beside its field and nothing typed is lost.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def refuse(message, field=None):
    """Raise ValidationError({field: [message, ...]}); `message` may be one text or a list."""
    messages = list(message) if isinstance(message, list | tuple) else [message]
    raise ValidationError({field or NON_FIELD_ERRORS: messages})


def add_refusal(form, error):
    """Put each message of a refusal beside its field of `form`; a field the form lacks goes to the top."""
    for field, messages in error.update_error_dict({}).items():
        form.add_error(field if field in form.fields else None, messages)
