from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "地域・地域運営組織"

    def ready(self):
        from organizations import area_summary

        area_summary.connect_signals()
