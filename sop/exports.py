"""An SOP as a PDF (A4 landscape: the identity page, then the procedure split over pages joined
by numbered off-page connectors) and as an Excel workbook (the identity block and the steps
table, A4 with the table's head repeated on every printed page, and the flowchart as pictures,
one printed page each)."""

import re
from io import BytesIO

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from sasaran import pdf, xlsx
from sasaran.periods import long_date

from . import flowchart, services, validation

# The printable area of A4 landscape with 10 mm margins, less the title and page footer.
PAGE_WIDTH_MM = 277
FLOW_HEIGHT_MM = 176
LOGO_PIXELS = 400  # the longest side of the logo as embedded in the exports
LOGO_RESOURCE = "logo.png"


def parts(sop):
    """The SOP with its actors and steps (their flows and joint lanes), fetched once."""
    actors = list(sop.actors.select_related("position"))
    steps = list(sop.steps.prefetch_related("flows", "also_actors"))
    return actors, steps


def identity_rows(sop):
    """(label, value) of the identity part, in the regulation's order; the date it takes
    effect is called as the office calls it (Tanggal Efektif or Tanggal Pengesahan)."""
    return [
        (_("Nomor SOP"), sop.number),
        (_("Tanggal Pembuatan"), long_date(sop.created_on)),
        (_("Tanggal Revisi"), long_date(sop.revised_on)),
        (sop.get_date_label_display(), long_date(sop.effective_on)),
        (_("Disahkan oleh"), approver_text(sop)),
        (_("Nama SOP"), sop.name),
    ]


def approver_text(sop):
    lines = [sop.approver_position, sop.approver_name]
    if sop.approver_nip:
        lines.append(f"NIP {sop.approver_nip}")
    return "\n".join(line for line in lines if line)


def _squeeze(text):
    return re.sub(r"\s+", "", text).casefold()


def related_items(sop, visible=None):
    """The Keterkaitan as the document writes it: one item per line of `related_text`, each
    {"text", "sop"} with the SOP it names (by number or name) when one is among `visible`
    (a queryset; None: no links, as in the PDF); then the related SOPs chosen in the admin
    that no line names."""
    lines = [line.strip() for line in sop.related_text.splitlines() if line.strip()]
    known = []
    if visible is not None:
        rows = visible.exclude(unit=sop.unit, number=sop.number).order_by("-revision")
        known = [(_squeeze(other.number), _squeeze(other.name), other) for other in rows]
    items, named = [], set()
    for line in lines:
        text = _squeeze(line)
        found = None
        for number, name, other in known:
            if (len(number) >= 3 and number in text) or (len(name) >= 5 and name in text):
                found = other
                break
        if found is not None:
            named.add((found.unit_id, found.number))
        items.append({"text": line, "sop": found})
    visible_pks = set(visible.values_list("pk", flat=True)) if visible is not None else set()
    for other in sop.related.all():
        if (other.unit_id, other.number) in named:
            continue
        items.append({"text": str(other), "sop": other if other.pk in visible_pks else None})
    return items


def logo_png(sop):
    """The unit logo as PNG bytes (re-encoded, at most LOGO_PIXELS on its longest side), or
    None when there is none or it cannot be read."""
    if not sop.logo:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with sop.logo.open("rb") as handle, Image.open(handle) as image:
            image.thumbnail((LOGO_PIXELS, LOGO_PIXELS))
            if image.mode not in ("RGB", "RGBA"):
                image = image.convert("RGBA")
            buffer = BytesIO()
            image.save(buffer, format="PNG")
            return buffer.getvalue()
    except (OSError, UnidentifiedImageError, ValueError):
        return None


def context(sop, pages, visible=None):
    """What the SOP page and the PDF print; `visible` (the SOPs the reader may open) links
    the Keterkaitan lines to them."""
    actors, steps = parts(sop)
    return {
        "sop": sop,
        "actors": actors,
        "steps": steps,
        "identity": identity_rows(sop),
        "related": list(sop.related.all()),
        "related_items": related_items(sop, visible),
        "logo_src": reverse("sop:logo", args=[sop.pk]) if sop.logo else "",
        "pages": pages,
        "total_time": services.total_time_text(steps),
    }


def flow_pages(sop, actors=None, steps=None, first_mm=None):
    """The flowchart as the PDF pages it is printed on (`flowchart.Drawing`); the first
    `first_mm` high when it shares a page with the end of the identity part."""
    if actors is None:
        actors, steps = parts(sop)
    width = flowchart.Grid(actors).width
    page_height = width * FLOW_HEIGHT_MM / PAGE_WIDTH_MM
    first = width * first_mm / PAGE_WIDTH_MM if first_mm else None
    return flowchart.drawings(steps, actors, page_height=page_height, first_page_height=first)


# An identity part longer than a page would leave its last page nearly empty before the
# flowchart's first page: the flowchart then starts on that page when at least this much
# room is left (the title and the total line take FLOW_EXTRA_MM of it). Identity parts with
# less text than IDENTITY_SHORT characters always fit one page and are not measured.
SHARED_PAGE_MM = 75
FLOW_EXTRA_MM = 18
IDENTITY_SHORT = 1500


def _identity_text(sop):
    fields = (sop.header, sop.legal_basis, sop.qualifications, sop.related_text, sop.equipment)
    return sum(len(text) for text in (*fields, sop.warning, sop.records))


def sop_pdf(sop):
    actors, steps = parts(sop)
    values = context(sop, [])
    logo = logo_png(sop)
    resources = {}
    values["logo_src"] = ""
    if logo:
        values["logo_src"] = pdf.resource_uri(LOGO_RESOURCE)
        resources[values["logo_src"]] = (logo, "image/png")
    first_mm = None
    if _identity_text(sop) > IDENTITY_SHORT:
        identity = pdf.render(render_to_string("sop/pdf.html", values), resources)
        room = pdf.room_left_mm(identity)
        if len(identity.pages) > 1 and room >= SHARED_PAGE_MM:
            first_mm = room - FLOW_EXTRA_MM
    values["pages"] = [page.svg for page in flow_pages(sop, actors, steps, first_mm)]
    values["shares_page"] = first_mm is not None
    html = render_to_string("sop/pdf.html", values)
    return pdf.html_to_pdf(html, resources=resources)


def filename(sop, extension):
    revision = f"-rev{sop.revision}" if sop.revision else ""
    return f"SOP-{slugify(sop.name)[:60]}{revision}.{extension}"


# --------------------------------------------------------------------------- the workbook


def _identity_sheet_rows(sop):
    related = "\n".join(item["text"] for item in related_items(sop))
    return identity_rows(sop) + [
        (_("Dasar Hukum"), sop.legal_basis),
        (_("Kualifikasi Pelaksana"), sop.qualifications),
        (_("Keterkaitan"), related),
        (_("Peralatan/Perlengkapan"), sop.equipment),
        (_("Peringatan"), sop.warning),
        (_("Pencatatan dan Pendataan"), sop.records),
    ]


def _symbol_text(step, facts):
    """The symbol of a row in words: "Proses", "Mulai, Proses", "Catatan (tanpa nomor)"."""
    words = [step.get_kind_display()]
    if facts.start_capsule:
        words.insert(0, _("Mulai"))
    if facts.end_capsule:
        words.append(_("Selesai"))
    return ", ".join(words)


def _next_text(step, facts, flows, shown):
    """Where the flow goes after a row, by the numbers the No column prints ("baris N" for
    an unnumbered row): "3", "Ya: 4; Tidak: 1", "5, 7"."""
    mine = [f for f in flows if f.src == step.number]

    def name(number):
        return str(shown[number]) if shown.get(number) else _("baris %(n)s") % {"n": number}

    return validation.format_next([(f.label, name(f.dst)) for f in mine])


def _step_values(step, facts, actors, flows, shown):
    mark = _symbol_text(step, facts)
    marks = [mark if a.pk in facts.lanes else "" for a in actors]
    hours = step.hours
    return [
        shown.get(step.number) or "",
        step.activity,
        *marks,
        mark,
        _next_text(step, facts, flows, shown),
        step.requirements,
        step.time_amount,
        step.get_time_unit_display() if step.time_unit else "",
        round(hours, 2) if hours is not None else None,
        step.output,
        step.remarks,
    ]


def sop_workbook(sop):
    actors, steps = parts(sop)
    facts = flowchart.facts_of(steps)
    flows = validation.flows(list(facts.values()))
    shown = {}
    for step in steps:
        if step.kind not in validation.UNNUMBERED:
            shown[step.number] = len(shown) + 1
    book = Workbook()
    ws = book.active
    ws.title = "SOP"
    row = 1
    logo = logo_png(sop)
    if logo:
        picture = SheetImage(BytesIO(logo))
        scale = 60 / max(picture.height, 1)
        picture.width, picture.height = picture.width * scale, picture.height * scale
        ws.add_image(picture, "A1")
    for line in sop.header_lines or [sop.unit.name]:
        xlsx.write(ws, row, 2 if logo else 1, line, bold=True, wrap=False)
        row += 1
    row = max(row, 5) if logo else row
    row += 1
    for label, value in _identity_sheet_rows(sop):
        xlsx.write(ws, row, 1, label, bold=True, border=True)
        xlsx.merge(ws, row, 2, row, 6, value, border=True)
        xlsx.fit_row_height(ws, row, [1, 2])
        row += 1
    row += 1
    xlsx.write(ws, row, 1, sop.title, bold=True, wrap=False)
    row += 1
    head_row = row
    heads = [pgettext("number", "No"), _("Uraian Kegiatan"), *[a.name for a in actors]]
    heads += [_("Simbol"), _("Lanjut ke"), _("Kelengkapan"), _("Waktu"), _("Satuan")]
    heads += [_("Waktu (jam)"), _("Output"), _("Keterangan")]
    for column, head in enumerate(heads, start=1):
        xlsx.write(ws, row, column, head, bold=True, border=True, fill=xlsx.HEAD_FILL)
    widths = [6, 45] + [14] * len(actors) + [14, 14, 30, 9, 11, 10, 30, 20]
    xlsx.set_widths(ws, widths)
    number_columns = {len(actors) + 6, len(actors) + 8}  # Waktu, Waktu (jam)
    for step in steps:
        row += 1
        values = _step_values(step, facts[step.number], actors, flows, shown)
        for column, value in enumerate(values, start=1):
            cell = xlsx.write(ws, row, column, value, border=True)
            if column in number_columns and value is not None:
                cell.number_format = "0.##"
        xlsx.fit_row_height(ws, row, list(range(1, len(heads) + 1)))
    row += 2
    hours_column = len(actors) + 8
    total = services.total_hours(steps)
    xlsx.write(ws, row, 1, _("Total waktu baku"), bold=True, wrap=False)
    xlsx.write(ws, row, 2, services.total_time_text(steps), wrap=False)
    xlsx.write(ws, row, hours_column - 1, _("jam"), bold=True)
    cell = xlsx.write(ws, row, hours_column, round(total, 2))
    cell.number_format = "0.##"
    xlsx.print_setup(
        ws,
        area=f"A1:{_column(len(heads))}{row}",
        title_rows=f"{head_row}:{head_row}",
        footer={"right": _("Halaman &P dari &N")},
    )
    _flowchart_sheet(book, sop, actors, steps)
    return xlsx.workbook_bytes(book)


def _column(index):
    return get_column_letter(index)


# A picture is shown at its size in pixels; 96 pixels an inch on screen. Printed fitted to the
# width of A4 landscape, a page of the flowchart fills a printed page.
PICTURE_WIDTH = 1100
PICTURE_COLUMNS = 13  # columns 12 characters (89 pixels) wide that hold it
ROW_PIXELS = 20  # a default row of 15 points


def _flowchart_sheet(book, sop, actors, steps):
    """A sheet with the flowchart, one picture per PDF page, a page break after each."""
    ws = book.create_sheet(_("Bagan Alir"))
    pages = flow_pages(sop, actors, steps)
    row = 1
    for index, page in enumerate(pages, start=1):
        title = sop.title
        if len(pages) > 1:
            title += " " + _("(bagian %(n)s dari %(total)s)") % {"n": index, "total": len(pages)}
        xlsx.write(ws, row, 1, title, bold=True, wrap=False)
        row += 1
        picture = SheetImage(BytesIO(page.png(scale=2.0)))
        height = PICTURE_WIDTH * (page.height + 2) / (page.width + 2)
        picture.width, picture.height = PICTURE_WIDTH, height
        ws.add_image(picture, f"A{row}")
        row += int(height // ROW_PIXELS) + 2
        if index < len(pages):
            ws.row_breaks.append(Break(id=row - 1))
    xlsx.set_widths(ws, [12] * PICTURE_COLUMNS)
    xlsx.print_setup(
        ws, area=f"A1:{_column(PICTURE_COLUMNS)}{row}", footer={"right": _("Halaman &P dari &N")}
    )
