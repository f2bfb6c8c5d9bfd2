from django.apps import AppConfig


class NiimiPortalConfig(AppConfig):
    name = "niimi_portal"
    verbose_name = "ポータル"

    def ready(self):
        """The one place where saving a model has side effects through signal receivers; every other side
        effect of a save is written in the service that saves. In the order they run on a save:

        - the cached pages' tags (niimi_portal.lib.page_tags, by each app's `cache_rules`), and with them
          the day each tag last changed, the pages' 更新日 (niimi_portal.updated);
        - the names table and the public texts' readings for ふりがな (niimi_portal.names);
        - each area's stored 旧市町, stages and tally flag (organizations.area_summary), worked out
          again when an area, an organization or an organization's areas change;
        - a document issued to an organization that receives its notices online: a mail to its 事務局
          (offices.delivery, after the commit).

        The site package reads every app, so no app has to know about them; `.update()`, `bulk_create()`
        and raw SQL send no signals, and the modules above say what to call after them."""
        from niimi_portal import (
            middleware,  # noqa: F401 — connects the login signal that stamps sessions
            names,
            updated,
        )
        from niimi_portal.lib import furigana, page_tags
        from niimi_portal.readings import DatabaseReadings
        from offices import delivery
        from organizations import area_summary

        page_tags.connect()
        updated.connect()
        names.connect_signals()
        area_summary.connect_signals()
        delivery.connect_signals()
        readings = DatabaseReadings()
        readings.connect()
        furigana.use_store(readings)
