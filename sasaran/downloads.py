"""The HTTP response of a downloaded file (an official PDF, a workbook): one place for the
content types and the Content-Disposition header, used by every app's download views."""

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
CONTENT_TYPES = {"xlsx": XLSX, "pdf": PDF}


def content_type_of(name):
    """The MIME type of a file we write, from its extension (.pdf or .xlsx)."""
    return CONTENT_TYPES[name.rsplit(".", 1)[-1]]


def download_response(content, name, *, inline=False):
    """`content` (bytes) as the file `name`; a PDF may be shown in the browser (`inline`)."""
    response = HttpResponse(content, content_type=content_type_of(name))
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response
