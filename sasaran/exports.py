"""One entry point for every export, shared by the download views and the command line."""

from django.utils.text import slugify

from . import reports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def _writers(fmt):
    if fmt == "pdf":
        from . import export_pdf

        return export_pdf.manual_pdf, export_pdf.quarterly_pdf, export_pdf.comparison_pdf
    from mutu.xlsx import workbook_bytes

    from . import export_xlsx

    return (
        lambda doc: workbook_bytes(export_xlsx.manual_workbook(doc)),
        lambda report: workbook_bytes(export_xlsx.quarterly_workbook(report)),
        lambda report: workbook_bytes(export_xlsx.comparison_workbook(report)),
    )


def export(unit, year, fmt, quarter=None):
    """(content, file name, content type) of the Sasaran Mutu document (no quarter) or the
    quarterly report of `unit`."""
    manual_writer, quarterly_writer, _ = _writers(fmt)
    if quarter is None:
        content = manual_writer(reports.manual_document(reports.manual_for(unit, year)))
        name = f"sasaran-mutu-{slugify(unit.code)}-{year}.{fmt}"
    else:
        report = reports.quarterly_report(unit, year, quarter, charts=fmt == "pdf")
        content = quarterly_writer(report)
        name = f"laporan-capaian-{slugify(unit.code)}-{year}-tw{quarter}.{fmt}"
    return content, name, PDF if fmt == "pdf" else XLSX


def export_comparison(unit, year, quarter, fmt, indicator_name=None, progress=None):
    progress = progress or (lambda value: None)
    _, _, comparison_writer = _writers(fmt)
    report = reports.comparison_report(unit, year, quarter, indicator_name)
    progress(50)
    content = comparison_writer(report)
    progress(90)
    name = f"perbandingan-unit-{slugify(unit.code)}-{year}-tw{quarter}.{fmt}"
    return content, name, PDF if fmt == "pdf" else XLSX
