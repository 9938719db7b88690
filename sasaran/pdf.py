"""HTML to PDF with WeasyPrint, fetching nothing but the app's own static files.

WeasyPrint is imported on first use (the import costs about half a second) and then kept for
the life of the process. Templates reach static files through `static_uri`, which gives their
file:// address; the fetcher refuses every other address (http, other files, data URLs), so a
user's text in a document cannot make the server read or request anything else.
"""

from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders


@cache
def _weasyprint():
    import weasyprint

    return weasyprint


def static_roots():
    """The folders static files are served from: STATIC_ROOT and every finder's storage."""
    roots = [Path(settings.STATIC_ROOT)]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            roots.append(Path(storage.location))
    return [root.resolve() for root in roots]


def static_uri(path):
    """The file:// address of a static file, for a document rendered to PDF."""
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"static file not found: {path}")
    return Path(found).resolve().as_uri()


def is_static_file(url):
    parts = urlsplit(url)
    if parts.scheme != "file":
        return False
    path = Path(unquote(parts.path)).resolve()
    return path.is_file() and any(path.is_relative_to(root) for root in static_roots())


@cache
def _fetcher_class():
    urls = _weasyprint().urls

    class StaticOnlyFetcher(urls.URLFetcher):
        """Fetches file:// URLs inside the static folders and refuses everything else."""

        def fetch(self, url, headers=None):
            if not is_static_file(url):
                raise ValueError(f"refused to fetch {url[:200]!r}: not an app static file")
            return super().fetch(url, headers)

    return StaticOnlyFetcher


def html_to_pdf(html):
    """The PDF (bytes) of a complete HTML document."""
    weasyprint = _weasyprint()
    fetcher = _fetcher_class()(allowed_protocols=["file"])
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
