"""Benchmark: how much a 100 MB upload raises the web process's memory, and how fast it goes.

Starts a real gunicorn (one sync worker) on 127.0.0.1 against a throw-away SQLite database and
upload folder, signs an applicant in, uploads a small PDF to warm the worker up, then streams a
100 MB PDF through the ordinary upload view. The worker's resident set is read from /proc: its
peak (VmHWM, reset just before the upload) minus its size before the upload. Throughput is set
beside a plain copy of the same file on the same disk. Results: stdout and docs/benchmarks.json.

Run with `make bench` (Linux only: it reads /proc).
"""

import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import (  # noqa: E402
    PYTHON,
    environment,
    free_port,
    run,
    start_gunicorn,
    status_kb,
    stop,
    worker_pids,
)

SIZE_MB = 100
BUDGET_MB = 30


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="portal-bench-", dir=ROOT / "var") as folder:
        work = Path(folder)
        env = environment(work, services=False)
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        session = json.loads(run([PYTHON, str(Path(__file__).with_name("setup_data.py"))], env))
        big = work / "big.pdf"
        make_pdf(big, SIZE_MB * 1024 * 1024)
        copy_seconds = timed_copy(big, work / "copy.pdf")
        port = free_port()
        server = start_gunicorn(env, port)
        try:
            results = measure(port, server, session, big, work)
        finally:
            stop(server)
    results["copy_mb_per_s"] = round(SIZE_MB / copy_seconds, 1)
    return report(results)


def make_pdf(path: Path, size: int) -> None:
    """A valid one-page PDF of about `size` bytes: random data in an unused stream."""
    import pikepdf

    document = pikepdf.new()
    document.add_blank_page()
    document.Root.Payload = document.make_stream(os.urandom(size - 1000))
    document.save(path, compress_streams=False)


def timed_copy(source: Path, target: Path) -> float:
    os.sync()
    start = time.perf_counter()
    shutil.copyfile(source, target)
    with open(target, "rb+") as copied:
        os.fsync(copied.fileno())
    elapsed = time.perf_counter() - start
    target.unlink()
    return elapsed


class MultipartBody:
    """A multipart/form-data body read from disk in chunks, so the client holds no copy of it."""

    def __init__(self, path: Path, name: str) -> None:
        self.boundary = uuid.uuid4().hex
        self.path = path
        self.head = (
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        self.tail = f"\r\n--{self.boundary}--\r\n".encode()
        self.length = len(self.head) + path.stat().st_size + len(self.tail)

    def __iter__(self):
        yield self.head
        with open(self.path, "rb") as stream:
            while chunk := stream.read(1024 * 1024):
                yield chunk
        yield self.tail


def upload(port: int, session: dict, path: Path) -> tuple[int, float]:
    body = MultipartBody(path, path.name)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {
        "Content-Type": f"multipart/form-data; boundary={body.boundary}",
        "Content-Length": str(body.length),
        "Cookie": f"sessionid={session['sessionid']}; csrftoken={session['csrftoken']}",
        "X-CSRFToken": session["csrftoken"],
    }
    start = time.perf_counter()
    connection.request("POST", session["upload_url"], body=iter(body), headers=headers)
    status = connection.getresponse().status
    return status, time.perf_counter() - start


def measure(port: int, server: subprocess.Popen, session: dict, big: Path, work: Path) -> dict:
    small = work / "small.pdf"
    make_pdf(small, 1024 * 1024)
    status, _seconds = upload(port, session, small)  # imports and caches loaded, as in service
    if status != 302:
        raise SystemExit(f"warm-up upload answered {status}")
    [pid] = worker_pids(server.pid)
    before_kb = status_kb(pid, "VmRSS")
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current size
    status, seconds = upload(port, session, big)
    peak_kb = status_kb(pid, "VmHWM")
    if status != 302:
        raise SystemExit(f"upload answered {status}")
    stored = [p for p in (work / "uploads").rglob("*") if p.is_file()]
    if max(p.stat().st_size for p in stored) != big.stat().st_size:
        raise SystemExit("the large file was not stored whole")
    return {
        "rss_before_mb": round(before_kb / 1024, 1),
        "rss_peak_mb": round(peak_kb / 1024, 1),
        "rss_increase_mb": round((peak_kb - before_kb) / 1024, 1),
        "upload_seconds": round(seconds, 2),
        "upload_mb_per_s": round(SIZE_MB / seconds, 1),
    }


def save(measurements: list[dict]) -> None:
    """Replace this script's entries in docs/benchmarks.json, keeping other benchmarks' entries."""
    path = ROOT / "docs" / "benchmarks.json"
    ours = {item["name"] for item in measurements}
    kept = json.loads(path.read_text()) if path.exists() else []
    kept = [item for item in kept if item["name"] not in ours]
    path.write_text(json.dumps(kept + measurements, indent=2, ensure_ascii=False) + "\n")


def report(results: dict) -> int:
    measurements = [
        {"name": "upload_100mb_rss_increase", "unit": "MB", "value": results["rss_increase_mb"]},
        {"name": "upload_100mb_rss_before", "unit": "MB", "value": results["rss_before_mb"]},
        {"name": "upload_100mb_rss_peak", "unit": "MB", "value": results["rss_peak_mb"]},
        {"name": "upload_100mb_seconds", "unit": "s", "value": results["upload_seconds"]},
        {"name": "upload_100mb_throughput", "unit": "MB/s", "value": results["upload_mb_per_s"]},
        {"name": "file_copy_100mb_throughput", "unit": "MB/s", "value": results["copy_mb_per_s"]},
    ]
    save(measurements)
    for item in measurements:
        print(f"{item['name']:32} {item['value']:>10} {item['unit']}")
    within = results["rss_increase_mb"] <= BUDGET_MB
    print(f"Memory budget ({BUDGET_MB} MB): {'met' if within else 'EXCEEDED'}")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
