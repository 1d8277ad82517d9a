"""The server the README runs, on a free loopback port, for the tests that need a real one (serving, the edge)."""

import http.client
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from benchmarks.common import free_port, start_server


def running_server(tmp_path_factory: pytest.TempPathFactory, env: Mapping[str, str]) -> Iterator[tuple[int, Path]]:
    """Body of a module-scoped fixture: the server with these settings, its port and its log file."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    process = start_server(port, log=log, **env)
    try:
        yield port, log
    finally:
        process.terminate()
        process.wait(30)


def call(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    source: str | None = None,
    timeout: float = 60,
) -> tuple[int, dict[str, str], bytes]:
    """One request on a connection of its own (from `source`, a loopback address, when given)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source or "", 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()
