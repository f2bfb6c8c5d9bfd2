"""People by their names: an account shows as 「田中 美咲」, never as its user name 「officer-たなか」."""

from django.contrib.auth import get_user_model


def display_name(user):
    """The person's name as stored (family name first), or the user name when no name is stored."""
    if user is None:
        return ""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


def show_users_by_name():
    """Make every account read as its person's name wherever Django shows it (the admin's 決定者 and
    history, choices of a user): the user name stays the login, not what others see."""
    get_user_model().__str__ = display_name
