from django.apps import AppConfig


class NiimiPortalConfig(AppConfig):
    name = "niimi_portal"
    verbose_name = "ポータル"
