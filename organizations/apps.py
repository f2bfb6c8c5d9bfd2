from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    """The areas and organizations. Their save side effects on the area summary (organizations.area_summary)
    are connected with the site's other receivers in NiimiPortalConfig.ready, not here."""

    name = "organizations"
    verbose_name = "地域・地域運営組織"
