"""An SOP as a PDF (A4 landscape: the identity page, then the procedure split over pages joined
by numbered off-page connectors) and as an Excel workbook (identity block and steps table)."""

from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from sasaran import pdf, xlsx
from sasaran.periods import long_date

from . import flowchart, services

# The printable area of A4 landscape with 10 mm margins, less the title and page footer.
PAGE_WIDTH_MM = 277
FLOW_HEIGHT_MM = 176


def parts(sop):
    """The SOP with its actors and steps, fetched once."""
    actors = list(sop.actors.select_related("position"))
    steps = list(sop.steps.all())
    return actors, steps


def identity_rows(sop):
    """(label, value) of the identity part, in the regulation's order."""
    return [
        (_("Nomor SOP"), sop.number),
        (_("Tanggal Pembuatan"), long_date(sop.created_on)),
        (_("Tanggal Revisi"), long_date(sop.revised_on)),
        (_("Tanggal Efektif"), long_date(sop.effective_on)),
        (_("Disahkan oleh"), approver_text(sop)),
        (_("Nama SOP"), sop.name),
    ]


def approver_text(sop):
    lines = [sop.approver_position, sop.approver_name]
    if sop.approver_nip:
        lines.append(f"NIP {sop.approver_nip}")
    return "\n".join(line for line in lines if line)


def context(sop, pages):
    actors, steps = parts(sop)
    return {
        "sop": sop,
        "actors": actors,
        "steps": steps,
        "identity": identity_rows(sop),
        "related": list(sop.related.all()),
        "pages": pages,
        "total_time": services.total_time_text(steps),
    }


def sop_pdf(sop):
    actors, steps = parts(sop)
    width = flowchart.Grid(actors).width
    page_height = width * FLOW_HEIGHT_MM / PAGE_WIDTH_MM
    pages = flowchart.draw(steps, actors, page_height=page_height)
    html = render_to_string("sop/pdf.html", context(sop, pages))
    return pdf.html_to_pdf(html)


def filename(sop, extension):
    revision = f"-rev{sop.revision}" if sop.revision else ""
    return f"SOP-{slugify(sop.name)[:60]}{revision}.{extension}"


def _identity_sheet_rows(sop):
    related = ", ".join(str(s) for s in sop.related.all())
    return identity_rows(sop) + [
        (_("Dasar Hukum"), sop.legal_basis),
        (_("Kualifikasi Pelaksana"), sop.qualifications),
        (_("Keterkaitan"), related),
        (_("Peralatan/Perlengkapan"), sop.equipment),
        (_("Peringatan"), sop.warning),
        (_("Pencatatan dan Pendataan"), sop.records),
    ]


def _step_values(step, actors):
    marks = [step.get_kind_display() if step.actor_id == a.pk else "" for a in actors]
    return [
        step.number,
        step.activity,
        *marks,
        step.get_kind_display(),
        step.yes_step,
        step.no_step,
        step.requirements,
        services.time_text(step),
        step.output,
        step.remarks,
    ]


def sop_workbook(sop):
    actors, steps = parts(sop)
    book = Workbook()
    ws = book.active
    ws.title = "SOP"
    row = 1
    for line in sop.header_lines:
        xlsx.write(ws, row, 1, line, bold=True, wrap=False)
        row += 1
    row += 1 if sop.header_lines else 0
    for label, value in _identity_sheet_rows(sop):
        xlsx.write(ws, row, 1, label, bold=True, border=True)
        xlsx.write(ws, row, 2, value, border=True)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=6)
        row += 1
    row += 1
    xlsx.write(ws, row, 1, sop.title, bold=True, wrap=False)
    row += 1
    heads = [pgettext("number", "No"), _("Uraian Kegiatan"), *[a.name for a in actors], _("Simbol")]
    heads += [_("Jika Ya ke"), _("Jika Tidak ke"), _("Kelengkapan"), _("Waktu"), _("Output")]
    heads += [_("Keterangan")]
    for column, head in enumerate(heads, start=1):
        xlsx.write(ws, row, column, head, bold=True, border=True, fill=xlsx.HEAD_FILL)
    for step in steps:
        row += 1
        for column, value in enumerate(_step_values(step, actors), start=1):
            xlsx.write(ws, row, column, value, border=True)
    row += 2
    xlsx.write(ws, row, 1, _("Total waktu baku"), bold=True, wrap=False)
    xlsx.write(ws, row, 2, services.total_time_text(steps), wrap=False)
    xlsx.set_widths(ws, [24, 45] + [14] * len(actors) + [11, 9, 9, 30, 12, 30, 20])
    return xlsx.workbook_bytes(book)
