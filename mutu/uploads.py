"""A hard ceiling on uploaded files, enforced while the request is still being read.

The app's uploads (a realisation's evidence, the targets workbook, the survey recap workbook)
are each limited to 5 MB by their forms, but a form only sees a file after Django has read it
all: Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count file parts. `SizeLimitUploadHandler`
stops reading a request as soon as a file part would take it past FILE_UPLOAD_MAX_BYTES
(settings): at once when the request announces a larger Content-Length, otherwise when the
bytes received cross the limit. Nothing after that point is read or stored.

The refused file must still reach its form, or the form would say "required" (or, for an
optional field such as the evidence, silently save without it). `RefusedUploadMiddleware`
therefore puts a `RefusedUpload` in its place: an empty file that carries the size the request
announced, so the form's own size check gives its usual Indonesian message at the field.
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class RefusedUpload(UploadedFile):
    """Stands in for a file refused for its size: no content, only the size it would have had."""

    refused = True

    def __init__(self, *, name, size, content_type):
        super().__init__(file=io.BytesIO(), name=name, content_type=content_type, size=size)


class SizeLimitUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes chunks on until the limit, then stops the upload."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_length = content_length or 0

    def new_file(self, field_name, file_name, content_type, *args, **kwargs):
        super().new_file(field_name, file_name, content_type, *args, **kwargs)
        if self.request_length > settings.FILE_UPLOAD_MAX_BYTES:
            self._refuse(self.request_length)

    def receive_data_chunk(self, raw_data, start):
        received = start + len(raw_data)
        if received > settings.FILE_UPLOAD_MAX_BYTES:
            self._refuse(max(received, self.request_length))
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the file

    def _refuse(self, size):
        refused = getattr(self.request, "refused_uploads", {})
        refused[self.field_name] = RefusedUpload(
            name=self.file_name, size=size, content_type=self.content_type
        )
        self.request.refused_uploads = refused
        # connection_reset: do not read (exhaust) the rest of the request body.
        raise StopUpload(connection_reset=True)


class RefusedUploadMiddleware:
    """After the CSRF check (which parses the body): a refused file's field gets its stand-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not request.content_type.startswith("multipart/"):
            return None
        files = request.FILES  # parses the body now if the CSRF check did not
        for field_name, stand_in in getattr(request, "refused_uploads", {}).items():
            files.setlist(field_name, [stand_in])
        return None
