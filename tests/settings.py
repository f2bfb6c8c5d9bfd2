"""The settings pytest runs with: the portal's own, with DJANGO_TESTING=1 made explicit (settings.py no
longer guesses it from `pytest` being imported). Subprocesses that play production set it to 0."""

import os

os.environ.setdefault("DJANGO_TESTING", "1")

from niimi_portal.settings import *  # noqa: E402, F403
