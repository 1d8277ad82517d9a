"""What the benchmarks (and the serving tests) share: typical and heaviest situations, a free loopback port, real
gunicorn started and ready, and a probe that reads pages while load runs."""

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


_UNVERIFIED = ssl._create_unverified_context()  # a loopback server's throwaway certificate


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The largest valid answers (100 log rows with 200-character notes): the heaviest summary PDF a reader can ask for.
HEAVIEST_SITUATION = {
    **TYPICAL_SITUATION,
    "contact_log": [{"date": "2026-11-01", "channel": "sms", "note": "很长的备注" * 40} for _ in range(100)],
}

GUNICORN = Path(sys.executable).parent / "gunicorn"  # the one installed beside the Python running this


def start_gunicorn(port: int, scheme: str = "http", log: Path | None = None, **env: str) -> subprocess.Popen:
    """gunicorn with the project's own config on 127.0.0.1:port, returned once /healthz answers (over https when
    `env` gives gunicorn a certificate: the check then trusts whatever certificate it is shown)."""
    environment = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), **env}
    output = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [str(GUNICORN), "--config", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=environment,
        stdout=output,
        stderr=output,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{scheme}://127.0.0.1:{port}/healthz", timeout=2, context=_UNVERIFIED):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    sys.exit("gunicorn did not become ready")


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
