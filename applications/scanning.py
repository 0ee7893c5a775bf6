"""Virus scanning, pluggable: `get_scanner()` is None when none is configured, else an object with
`scan(stream) -> ScanResult` and `ping() -> bool`.

ClamdScanner speaks clamd's INSTREAM protocol over a unix or TCP socket: the file is sent in
length-prefixed chunks and clamd answers "stream: OK" or "stream: <signature> FOUND".
"""

import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CHUNK_SIZE = 64 * 1024


class ScannerUnavailable(Exception):
    """The scanner could not give a verdict (down, timed out, or refused the file's size).
    The version stays PENDING and is tried again later."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""


class ClamdScanner:
    name = "ClamAV"

    def __init__(self, url: str, *, timeout: float = 60) -> None:
        parts = urlsplit(url)
        if parts.scheme == "unix" and parts.path:
            self.address, self.family = parts.path, socket.AF_UNIX
        elif parts.scheme == "tcp" and parts.hostname and parts.port:
            self.address, self.family = (parts.hostname, parts.port), socket.AF_INET
        else:
            raise ImproperlyConfigured(
                "CLAMAV_URL must look like unix:///run/clamav/clamd.ctl or tcp://clamav:3310."
            )
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        connection = socket.socket(self.family, socket.SOCK_STREAM)
        connection.settimeout(self.timeout)
        try:
            connection.connect(self.address)
        except OSError as error:
            connection.close()
            raise ScannerUnavailable(f"clamd is not reachable: {error}") from error
        return connection

    def ping(self) -> bool:
        try:
            with self._connect() as connection:
                connection.sendall(b"zPING\0")
                return _read_reply(connection) == "PONG"
        except (ScannerUnavailable, OSError):
            return False

    def scan(self, stream) -> ScanResult:
        try:
            with self._connect() as connection:
                connection.sendall(b"zINSTREAM\0")
                while chunk := stream.read(CHUNK_SIZE):
                    connection.sendall(struct.pack("!L", len(chunk)) + chunk)
                connection.sendall(struct.pack("!L", 0))
                reply = _read_reply(connection)
        except OSError as error:  # clamd closes the socket early when a size limit is passed
            raise ScannerUnavailable(f"clamd did not finish the scan: {error}") from error
        return _verdict(reply)


def _read_reply(connection: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0"):
        chunk = connection.recv(4096)
        if not chunk:
            break
        reply += chunk
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def _verdict(reply: str) -> ScanResult:
    if reply == "stream: OK":
        return ScanResult(clean=True)
    if reply.startswith("stream: ") and reply.endswith(" FOUND"):
        return ScanResult(clean=False, signature=reply.removeprefix("stream: ")[:-6])
    # "INSTREAM size limit exceeded. ERROR" and anything unexpected: no verdict, fail closed.
    raise ScannerUnavailable(f"clamd gave no verdict: {reply!r}")


def get_scanner() -> ClamdScanner | None:
    if not settings.CLAMAV_URL:
        return None
    return ClamdScanner(settings.CLAMAV_URL, timeout=settings.CLAMAV_TIMEOUT)
