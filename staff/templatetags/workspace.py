from django import template
from django.template.defaultfilters import filesizeformat

from staff import access

register = template.Library()


@register.filter
def is_liaison(user):
    """{% if user|is_liaison %}: the nav shows the 職員ページ link to liaisons only."""
    return access.is_liaison(user)


@register.filter
def file_size(size):
    """Bytes as a Japanese reader expects them: 1.2 MB."""
    return filesizeformat(size)
