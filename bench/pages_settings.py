"""Settings of `bench/pages.py`'s servers: the project's own, with the two floor views of
`pages_urls` in front of its addresses (nothing of this is part of the app)."""

from mutu.settings import *  # noqa: F403

ROOT_URLCONF = "pages_urls"
