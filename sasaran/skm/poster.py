"""The printable QR poster of a survey service: the unit, the service, a short invitation and
the public link as a QR code with its address printed under it, on one A4 or A5 page.

The code is drawn by segno as inline SVG, on this server (no online QR service, no image
fetched: the PDF writer fetches nothing but static files). Always Indonesian, like the
survey's other documents. The link is the service's public address, which keeps working
after its period: the public page sends a late answer to the unit's open survey.
"""

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from sasaran.pdf import html_to_pdf

# Paper size in the URL -> its CSS page size.
SIZES = {"a4": "A4", "a5": "A5"}


def qr_code(url):
    """The QR code of `url`: level M (a smudged or creased print still scans), always a
    full-size code (phones' cameras do not all read Micro QR)."""
    return segno.make(url, error="m", micro=False)


def qr_svg(url):
    """The code as an SVG element sized by the page's CSS, with its white quiet zone."""
    svg = qr_code(url).svg_inline(scale=1, border=4, omitsize=True, dark="#000", light="#fff")
    return mark_safe(svg)  # segno's own markup: path data only, no text of ours


def poster_html(*, service, url, size):
    context = {
        "service": service,
        "unit": service.survey.unit,
        "url": url,
        "size": size,
        "page_size": SIZES[size],
        "qr": qr_svg(url),
    }
    with translation.override("id"):
        return render_to_string("skm/pdf_poster.html", context)


def poster_pdf(*, service, url, size):
    """The poster's PDF (bytes); `size` is a key of SIZES."""
    return html_to_pdf(poster_html(service=service, url=url, size=size))
