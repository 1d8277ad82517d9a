"""What the benchmarks (and the serving tests) share: typical and heaviest situations, a free loopback port, the
real server started and ready (`python -m webapp.wsgi`, as `make run` and the image run it), and a probe that reads
pages while load runs."""

import asyncio
import http.client
import math
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from webapp.summary import TYPICAL_ANSWERS  # noqa: E402

TYPICAL_SITUATION = TYPICAL_ANSWERS  # the app's own typical summary (webapp/summary.py)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The largest valid answers (100 log rows with 200-character notes): the heaviest summary PDF a reader can ask for.
HEAVIEST_SITUATION = {
    **TYPICAL_SITUATION,
    "contact_log": [{"date": "2026-11-01", "channel": "sms", "note": "很长的备注" * 40} for _ in range(100)],
}


def start_server(port: int, log: Path | None = None, **env: str) -> subprocess.Popen:
    """The server as `make run` starts it (`python -m webapp.wsgi`, the Python running this) on 127.0.0.1:port,
    returned once /healthz answers; `env`: settings for it."""
    environment = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), **env}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    output = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "webapp.wsgi"], cwd=ROOT, env=environment, stdout=output, stderr=output
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    sys.exit("the server did not become ready")


class TlsFront:
    """A loopback stand-in for the TLS-terminating proxy a deployment puts in front (the server speaks plain HTTP):
    accepts TLS with the given certificate on its own port and relays each connection's bytes to `backend_port`."""

    def __init__(self, backend_port: int, certfile: Path, keyfile: Path) -> None:
        self.backend_port = backend_port
        self.port = free_port()
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(certfile, keyfile)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._relay, "127.0.0.1", self.port, ssl=self.context)
        )
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _relay(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        backend_in, backend_out = await asyncio.open_connection("127.0.0.1", self.backend_port)

        async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                while chunk := await reader.read(65536):
                    writer.write(chunk)
                    await writer.drain()
            except OSError:
                pass
            finally:
                writer.close()

        await asyncio.gather(pipe(client_in, backend_out), pipe(backend_in, client_out))

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


class Probe:
    """Reads a guide page and /healthz every half second, as a reader and a load balancer would."""

    def __init__(self, port: int, guide: str = "/zh-hant/guides/58-finance-overdue") -> None:
        self.port = port
        self.paths = {"guide": guide, "healthz": "/healthz"}
        self.samples: list[tuple[float, str, float, int]] = []  # when, what, latency, status (0: failed)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, path in self.paths.items():
                began = time.perf_counter()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                try:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except OSError:
                    status = 0
                finally:
                    connection.close()
                self.samples.append((time.monotonic(), name, time.perf_counter() - began, status))
            self._stop.wait(0.5)

    def __enter__(self) -> "Probe":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(15)

    def between(self, name: str, start: float = 0.0, end: float = math.inf) -> list[tuple[float, int]]:
        """(latency, status) of the samples of `name` ("guide" or "healthz") taken between these monotonic times."""
        return [
            (latency, status) for when, what, latency, status in self.samples if what == name and start <= when < end
        ]
