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


RESOURCE_ROOT = "file:///sasaran-resources/"


def resource_uri(name):
    """The address a document uses for a file the caller hands to `html_to_pdf` itself
    (an uploaded logo, already read and checked): never fetched from anywhere."""
    return RESOURCE_ROOT + name


@cache
def _fetcher_class():
    urls = _weasyprint().urls

    class StaticOnlyFetcher(urls.URLFetcher):
        """Fetches file:// URLs inside the static folders, hands out the resources it was
        given, and refuses everything else."""

        resources = {}

        def fetch(self, url, headers=None):
            if url in self.resources:
                body, content_type = self.resources[url]
                return urls.URLFetcherResponse(url, body, {"Content-Type": content_type})
            if not is_static_file(url):
                raise ValueError(f"refused to fetch {url[:200]!r}: not an app static file")
            return super().fetch(url, headers)

    return StaticOnlyFetcher


def render(html, resources=None):
    """The laid-out pages (a WeasyPrint document) of a complete HTML document. `resources`
    {address from `resource_uri`: (bytes, content type)} are files the document may show
    besides static files."""
    weasyprint = _weasyprint()
    fetcher = _fetcher_class()(allowed_protocols=["file"])
    fetcher.resources = {
        url: value for url, value in (resources or {}).items() if url.startswith(RESOURCE_ROOT)
    }
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).render()


def html_to_pdf(html, resources=None):
    """The PDF (bytes) of a complete HTML document (`resources`: see `render`)."""
    return render(html, resources).write_pdf()


MM_PER_PX = 25.4 / 96


def room_left_mm(document):
    """How much height is left below the content of a rendered document's last page, in
    millimetres (read from WeasyPrint's layout of that page)."""
    box = document.pages[-1]._page_box
    root = box.children[0]
    bottom = max(
        (
            b.position_y + b.margin_height()
            for b in root.descendants()
            if hasattr(b, "margin_height")
        ),
        default=box.margin_top,
    )
    return max(0.0, (box.margin_top + box.height - bottom) * MM_PER_PX)
