from django.apps import AppConfig


class NiimiPortalConfig(AppConfig):
    name = "niimi_portal"
    verbose_name = "ポータル"

    def ready(self):
        from niimi_portal import middleware  # noqa: F401 — connects the login signal that stamps sessions
        from niimi_portal.caching import connect_invalidation

        connect_invalidation()
