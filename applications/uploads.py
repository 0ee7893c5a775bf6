"""An upload handler that hashes while the file streams in and stops reading past a limit."""

import hashlib

from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler


class HashingUploadHandler(TemporaryFileUploadHandler):
    """Writes to a temporary file (never memory), computes SHA-256 and size on the way, and stops
    at `max_bytes` + 1 so an oversized file is never read to its end nor kept on disk."""

    def __init__(self, request=None, *, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.exceeded = False

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.hasher = hashlib.sha256()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.exceeded = True
            self.file.close()  # a NamedTemporaryFile: closing deletes it
            raise StopUpload(connection_reset=False)
        self.hasher.update(raw_data)
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int):
        uploaded = super().file_complete(file_size)
        if uploaded is not None:
            uploaded.sha256 = self.hasher.hexdigest()
        return uploaded
