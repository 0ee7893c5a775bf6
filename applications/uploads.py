"""An upload handler that hashes while the file streams in and stops storing past a limit."""

import hashlib

from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler


class HashingUploadHandler(TemporaryFileUploadHandler):
    """Writes to a temporary file (never memory), computes SHA-256 and size on the way, and stops
    at `max_bytes` + 1 so an oversized file is never kept on disk.

    Install it as the request's only handler before request.POST or request.FILES is read. After
    parsing, `exceeded` says a file went past the limit and `too_many_files` that the request
    carried more than `max_files` files; in both cases nothing received is kept.
    """

    def __init__(self, request=None, *, max_bytes: int, max_files: int = 1) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.files_started = 0
        self.exceeded = False
        self.too_many_files = False

    def new_file(self, *args, **kwargs) -> None:
        self.files_started += 1
        if self.files_started > self.max_files:
            # The parser closes (and so deletes) the files already received when we stop.
            self.too_many_files = True
            raise StopUpload(connection_reset=False)
        super().new_file(*args, **kwargs)
        self.hasher = hashlib.sha256()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.exceeded = True
            self.file.close()  # a NamedTemporaryFile: closing deletes it
            # connection_reset=False: the rest of the body is read and dropped, so the browser
            # gets our answer instead of a broken connection.
            raise StopUpload(connection_reset=False)
        self.hasher.update(raw_data)
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int):
        uploaded = super().file_complete(file_size)
        if uploaded is not None:
            uploaded.sha256 = self.hasher.hexdigest()
        return uploaded

    @property
    def refused(self) -> bool:
        return self.exceeded or self.too_many_files
