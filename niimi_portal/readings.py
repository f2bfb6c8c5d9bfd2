"""Where the ふりがな readings of the public texts are stored: the database (niimi_portal.models.Reading).

niimi_portal.lib.furigana knows no model; the app hands it this store when it starts (apps.py).
"""

from niimi_portal.models import Reading

# Keys asked for in one query (well under any database's limit on parameters).
CHUNK = 500


class DatabaseReadings:
    def get_many(self, keys):
        found = {}
        for at in range(0, len(keys), CHUNK):
            found.update(Reading.objects.filter(key__in=keys[at : at + CHUNK]).values_list("key", "pieces"))
        return found

    def set_many(self, found):
        Reading.objects.bulk_create(
            [Reading(key=key, pieces=pieces) for key, pieces in found.items()], ignore_conflicts=True, batch_size=CHUNK
        )
