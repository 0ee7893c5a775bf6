"""A private clamd for the tests, with a signature database written at test time.

Debian's clamav-daemon ships no signatures and none can be downloaded here, so the database holds
one signature: the EICAR test string, assembled at run time (tests/applications/corpus.py). Tests
skip when clamd is not installed, and fail instead when PORTAL_REQUIRE_CLAMAV=true (CI sets it).
"""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.applications.corpus import eicar

SIGNATURE = "Portal.Test.EICAR"
# Small enough that a test can pass it with an ordinary file: clamd then gives no verdict.
STREAM_MAX_BYTES = 1024 * 1024


class Clamd:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.socket = folder / "clamd.sock"
        self.url = f"unix://{self.socket}"
        self.port = free_port()
        self.tcp_url = f"tcp://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        (folder / "db").mkdir()
        (folder / "db" / "portal-test.ndb").write_text(f"{SIGNATURE}:0:*:{eicar().hex()}\n")
        (folder / "clamd.conf").write_text(
            f"LocalSocket {self.socket}\nForeground yes\nDatabaseDirectory {folder / 'db'}\n"
            f"LogFile {folder / 'clamd.log'}\nTemporaryDirectory {folder}\n"
            f"StreamMaxLength {STREAM_MAX_BYTES}\nTCPSocket {self.port}\nTCPAddr 127.0.0.1\n"
        )

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - the system clamd, our own config file
            [clamd_path(), "-c", str(self.folder / "clamd.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.ping():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        log = (self.folder / "clamd.log").read_text(errors="replace")
        raise RuntimeError(f"clamd did not start:\n{log[-2000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None
        self.socket.unlink(missing_ok=True)

    def ping(self) -> bool:
        try:
            with socket.socket(socket.AF_UNIX) as connection:
                connection.settimeout(1)
                connection.connect(str(self.socket))
                connection.sendall(b"zPING\0")
                return connection.recv(16) == b"PONG\0"
        except OSError:
            return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clamd_path() -> str | None:
    return shutil.which("clamd") or (
        "/usr/sbin/clamd" if Path("/usr/sbin/clamd").exists() else None
    )


@pytest.fixture(scope="session")
def clamd_server(tmp_path_factory):
    if clamd_path() is None:
        if os.environ.get("PORTAL_REQUIRE_CLAMAV", "").lower() == "true":
            pytest.fail("clamd is required here (PORTAL_REQUIRE_CLAMAV=true) but is not installed.")
        pytest.skip("clamd is not installed (apt-get install clamav-daemon).")
    server = Clamd(tmp_path_factory.mktemp("clamd"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def clamd(clamd_server, settings):
    """The running clamd, configured as the portal's scanner; restarted if a test stopped it."""
    if not clamd_server.ping():
        clamd_server.start()
    settings.CLAMAV_URL = clamd_server.url
    return clamd_server
