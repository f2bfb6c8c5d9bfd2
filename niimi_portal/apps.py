from django.apps import AppConfig


class NiimiPortalConfig(AppConfig):
    name = "niimi_portal"
    verbose_name = "ポータル"

    def ready(self):
        """The one place the site's receivers on the apps' models are connected (page tags, names):
        the site package reads every app, so no app has to know about them."""
        from niimi_portal import (
            admin_display,
            middleware,  # noqa: F401 — connects the login signal that stamps sessions
            names,
        )
        from niimi_portal.lib import furigana, page_tags
        from niimi_portal.lib.people import show_users_by_name
        from niimi_portal.readings import DatabaseReadings

        page_tags.connect()
        names.connect_signals()
        readings = DatabaseReadings()
        readings.connect()
        furigana.use_store(readings)
        show_users_by_name()
        admin_display.install()
