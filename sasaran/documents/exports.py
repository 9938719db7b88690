"""One entry point for every export, shared by the download views and the command line."""

from django.utils.text import slugify

from . import export_pdf, export_xlsx, manual, reports

# Format -> the writer of each document: the Sasaran Mutu document, the quarterly report
# and the unit comparison. Each writer takes the report's data and returns the file's bytes.
WRITERS = {
    "pdf": {
        "manual": export_pdf.manual_pdf,
        "quarterly": export_pdf.quarterly_pdf,
        "comparison": export_pdf.comparison_pdf,
    },
    "xlsx": {
        "manual": export_xlsx.manual_xlsx,
        "quarterly": export_xlsx.quarterly_xlsx,
        "comparison": export_xlsx.comparison_xlsx,
    },
}
FORMATS = tuple(WRITERS)


def export(unit, year, fmt, quarter=None):
    """(content, file name) of the Sasaran Mutu document (no quarter) or the
    quarterly report of `unit`."""
    writers = WRITERS[fmt]
    if quarter is None:
        content = writers["manual"](manual.manual_document(reports.manual_for(unit, year)))
        name = f"sasaran-mutu-{slugify(unit.code)}-{year}.{fmt}"
    else:
        report = reports.quarterly_report(unit, year, quarter, charts=fmt == "pdf")
        content = writers["quarterly"](report)
        name = f"laporan-capaian-{slugify(unit.code)}-{year}-tw{quarter}.{fmt}"
    return content, name


def export_comparison(unit, year, quarter, fmt, indicator_name=None, progress=None):
    progress = progress or (lambda value: None)
    report = reports.comparison_report(unit, year, quarter, indicator_name)
    progress(50)
    content = WRITERS[fmt]["comparison"](report)
    progress(90)
    name = f"perbandingan-unit-{slugify(unit.code)}-{year}-tw{quarter}.{fmt}"
    return content, name
