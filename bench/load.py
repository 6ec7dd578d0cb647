"""A small threaded HTTP load driver: only the standard library.

Each request opens its own connection (gunicorn's sync workers close every
connection after one response), so every figure includes a TCP connect on
the loopback, as a proxy in front of the site would pay. Latency is from
sending the request to reading the last byte of the body.
"""

import http.client
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Target:
    """One scenario: what to send and which statuses count as answered."""

    name: str
    # The path, or the path of the i-th request (a POST to each mentee in turn).
    path: str | Callable[[int], str]
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    # For a POST: the body of the i-th request (each can differ).
    body: Callable[[int], bytes] | None = None
    ok: tuple[int, ...] = (200,)
    concurrency: int = 2


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)  # seconds
    wall: float = 0.0  # seconds from the first send to the last byte, summed over rounds
    errors: list[str] = field(default_factory=list)
    rates: list[float] = field(default_factory=list)  # req/s of each round

    def add(self, other: "Sample") -> None:
        self.latencies += other.latencies
        self.wall += other.wall
        self.errors += other.errors
        self.rates += other.rates

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    def percentile(self, p: float) -> float:
        """Nearest rank: the smallest latency at or above p% of the requests."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        rank = max(1, -(-len(ordered) * p // 100))
        return ordered[int(rank) - 1]


def request(host: str, port: int, target: Target, i: int, timeout: float = 60.0):
    """One request; returns (status, body)."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        body = target.body(i) if target.body else None
        headers = dict(target.headers)
        if body is not None:
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        path = target.path(i) if callable(target.path) else target.path
        connection.request(target.method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def drive(host: str, port: int, target: Target, requests: int, start: int = 0) -> Sample:
    """`requests` requests at the target's concurrency; request numbers
    (for POST bodies) run from `start`."""
    numbers = itertools.count(start)
    stop_at = start + requests
    lock = threading.Lock()
    sample = Sample()

    def worker() -> None:
        while True:
            with lock:
                i = next(numbers)
            if i >= stop_at:
                return
            began = time.perf_counter()
            try:
                status, body = request(host, port, target, i)
            except OSError as exc:
                with lock:
                    sample.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            elapsed = time.perf_counter() - began
            with lock:
                if status in target.ok:
                    sample.latencies.append(elapsed)
                else:
                    sample.errors.append(f"HTTP {status}: {body[:200]!r}")

    threads = [threading.Thread(target=worker) for _ in range(target.concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sample.wall = time.perf_counter() - began
    sample.rates = [sample.rate]
    return sample


@dataclass
class Streamed:
    status: int
    first_byte: float  # seconds to the first byte of the body
    first_row: float  # seconds to the end of the second line (the first data row)
    total: float  # seconds to the last byte
    size: int  # bytes of the body
    lines: int


def stream(host: str, port: int, path: str, headers: dict[str, str]) -> Streamed:
    """GET a streamed response, timing its first byte, first row and last byte."""
    connection = http.client.HTTPConnection(host, port, timeout=600)
    began = time.perf_counter()
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        first = response.read(1)
        first_byte = time.perf_counter() - began
        size, lines, first_row = len(first), first.count(b"\n"), None
        while True:
            chunk = response.read1(65536)
            if not chunk:
                break
            size += len(chunk)
            lines += chunk.count(b"\n")
            if first_row is None and lines >= 2:
                first_row = time.perf_counter() - began
        total = time.perf_counter() - began
        return Streamed(response.status, first_byte, first_row or total, total, size, lines)
    finally:
        connection.close()
