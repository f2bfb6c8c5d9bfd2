"""What every app's admin shares that knows no domain.

`DemoFlagLast`: the 「デモ用のデータ」 checkbox after the model's other fields. The flag is inherited from
the abstract `DemoFlag`, so Django lists it before the model's own fields; a clerk reads a record's
fields first and whether it is invented last, as the forms showed it before the flag was shared.
"""

from niimi_portal.lib.demo_flag import DEMO_FIELD


class DemoFlagLast:
    """On a ModelAdmin or inline that lists no `fields`, the demo flag moves to the end of the run of
    model fields it sits in: after the model's other editable fields, before the fields the form adds
    (the history's reason) and the read-only fields, which Django puts after them. On a page of
    read-only fields (a past version) it goes after the other read-only model fields."""

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if self.fields or DEMO_FIELD not in fields:
            return fields
        model_fields = {field.name for field in self.model._meta.get_fields()}
        readonly = set(self.get_readonly_fields(request, obj))

        def same_run(name):
            # A read-only date or amount is named by its display callable (ClerkDisplayMixin).
            return getattr(name, "__name__", name) in model_fields and (name in readonly) == (DEMO_FIELD in readonly)

        position = fields.index(DEMO_FIELD)
        fields.remove(DEMO_FIELD)
        while position < len(fields) and same_run(fields[position]):
            position += 1
        fields.insert(position, DEMO_FIELD)
        return fields
