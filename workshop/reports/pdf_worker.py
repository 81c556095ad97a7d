"""A process of its own that lays out and writes the report PDFs with WeasyPrint.

Why a process: WeasyPrint's layout is pure Python and takes seconds on a large report.
In a thread of the server it would hold the interpreter lock while the seminar goes on
(tablets and the projector would lag); in a process of its own it also runs on the second
core, beside the rest of the export (HTML, data files, DOCX) and beside Chromium drawing
the figures. The process is started once (``PdfWorker.start``, when an export begins) and
kept for the next exports; it stops with the app.

Protocol (between this package's own processes, over the worker's stdin/stdout): messages
are pickled and prefixed with their length. For each PDF the parent sends
``{"html", "sizes", "path"}`` (the worker lays the pages out at once), then
``{"images"}`` when the figures are rendered (the worker draws the pages and writes the
file); the worker answers ``{"ok": pages}`` or ``{"error": traceback}``.

Run as ``python -m workshop.reports.pdf_worker``.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import struct
import subprocess
import sys
import threading
import traceback
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

#: A PDF that takes longer than this is given up (the export then lays it out in-process).
TIMEOUT = 300.0


def send(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("!Q", len(data)))
    stream.write(data)
    stream.flush()


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError("pipe closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive(stream: IO[bytes]) -> Any:
    (size,) = struct.unpack("!Q", _read_exactly(stream, 8))
    return pickle.loads(_read_exactly(stream, size))


# --- the worker side ------------------------------------------------------------------------------


def main() -> int:
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed goes to the log, never into the protocol
    from weasyprint import HTML

    from workshop.reports.html import TEMPLATES
    from workshop.reports.pdf import fetcher

    send(replies, {"ready": os.getpid()})
    while True:
        try:
            job = receive(requests)
        except EOFError:
            return 0
        images: dict[str, bytes] | None = None

        def get_images() -> dict[str, bytes]:
            nonlocal images
            if images is None:
                images = receive(requests)["images"]
            return images

        try:
            document = HTML(string=job["html"], base_url=str(TEMPLATES),
                            url_fetcher=fetcher(job["sizes"], get_images)).render()
            document.write_pdf(job["path"])
            get_images()
            send(replies, {"ok": len(document.pages)})
        except EOFError:
            return 0
        except Exception:  # noqa: BLE001 - reported to the parent, which falls back
            try:
                get_images()
            except EOFError:
                return 0
            send(replies, {"error": traceback.format_exc()})


# --- the parent side ------------------------------------------------------------------------------


class WorkerFailed(RuntimeError):
    pass


class PdfWorker:
    """The worker process, seen from the app: one PDF at a time (others wait their turn)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._ready = False
        self._start_lock = threading.Lock()
        self.busy = threading.Lock()

    def start(self) -> None:
        with self._start_lock:
            if self._process is not None and self._process.poll() is None:
                return
            root = str(Path(__file__).resolve().parents[2])
            env = dict(os.environ)
            env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
            self._process = subprocess.Popen(
                [sys.executable, "-m", "workshop.reports.pdf_worker"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, env=env, cwd=root)
            self._ready = False

    def _wait_ready(self, process: subprocess.Popen) -> None:
        """The worker's first message says it has started (read once per process)."""
        if not self._ready:
            message = self._receive(process)
            if "ready" not in message:
                raise WorkerFailed(f"unexpected first message {message!r}")
            self._ready = True

    def _receive(self, process: subprocess.Popen, timeout: float = TIMEOUT) -> dict:
        result: dict[str, Any] = {}

        def read() -> None:
            try:
                result["message"] = receive(process.stdout)
            except BaseException as exc:  # noqa: BLE001
                result["error"] = exc

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(timeout)
        if reader.is_alive() or "error" in result:
            self.stop()
            raise WorkerFailed(f"the PDF worker did not answer ({result.get('error', 'timeout')})")
        return result["message"]

    def submit(self, html: str, sizes: dict[str, tuple[int, int]], path: Path) -> "RemotePdf":
        """Queue one PDF; returns at once (the job is written to the worker by a thread: the
        worker may still be starting, and a report's page is larger than a pipe holds)."""
        self.busy.acquire()
        try:
            self.start()
            process = self._process
            assert process is not None
        except BaseException as exc:
            self.busy.release()
            raise WorkerFailed(str(exc)) from exc
        remote = RemotePdf(self, process)
        remote.send({"html": html, "sizes": sizes, "path": str(path)})
        return remote

    def stop(self) -> None:
        process, self._process, self._ready = self._process, None, False
        if process is None:
            return
        try:
            if process.stdin:
                process.stdin.close()
            process.wait(timeout=5)
        except Exception:  # noqa: BLE001
            process.kill()


class RemotePdf:
    """A PDF being made by the worker: hand it the images, then wait for the file.

    Messages are written by a thread (one after the other, in order): the worker reads the
    job once it has started, and the images only once its layout is done, while the caller
    goes on (with the HTML, the data files, the DOCX). ``result()`` or ``abandon()`` must end
    every job (the worker does one PDF at a time).
    """

    def __init__(self, worker: PdfWorker, process: subprocess.Popen) -> None:
        self.worker, self.process = worker, process
        self._done = False
        self._senders: list[threading.Thread] = []
        self._send_error: BaseException | None = None

    def send(self, message: dict) -> None:
        previous = self._senders[-1] if self._senders else None

        def run() -> None:
            if previous is not None:
                previous.join()
            if self._send_error is not None:
                return
            try:
                send(self.process.stdin, message)
            except BaseException as exc:  # noqa: BLE001 - seen by result()
                self._send_error = exc

        sender = threading.Thread(target=run, name="pdf-send", daemon=True)
        self._senders.append(sender)
        sender.start()

    def provide_images(self, images: dict[str, bytes]) -> None:
        self.send({"images": images})

    def result(self) -> int:
        try:
            self.worker._wait_ready(self.process)
            message = self.worker._receive(self.process)
            for sender in self._senders:
                sender.join(TIMEOUT)
            if self._send_error is not None:
                self.worker.stop()
                raise WorkerFailed(f"could not reach the PDF worker: {self._send_error}")
        finally:
            self._finish()
        if "error" in message:
            raise WorkerFailed(message["error"])
        return int(message["ok"])

    def abandon(self) -> None:
        if not self._done:
            self.worker.stop()
            self._finish()

    def _finish(self) -> None:
        if not self._done:
            self._done = True
            self.worker.busy.release()


WORKER = PdfWorker()
atexit.register(WORKER.stop)


if __name__ == "__main__":
    sys.exit(main())
