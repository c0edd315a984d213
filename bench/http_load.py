"""A gunicorn server for the bench and a small load generator (stdlib only: http.client in threads).

``gunicorn_server`` starts the project's WSGI app on 127.0.0.1 and always stops it — on return, on an
exception and on Ctrl-C (the ``finally`` kills its process group), and, should the bench itself be
killed, through PR_SET_PDEATHSIG, which the kernel uses to signal gunicorn when its parent dies.

``run_load`` drives N client threads, each with its own keep-alive connection, for a fixed time.
Each request body is taken once from a shared iterator (every barcode is returned once). With
``rate`` the load is open-loop: request k of client c is due at ``start + (k + c / clients) / per_client``
and its latency is counted from when it was due, not from when it was sent, so a server that falls
behind is charged for the queue it causes (no coordinated omission). Without ``rate`` each client
sends its next request as soon as the last one is answered (saturation).
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:  # runs in the child between fork and exec
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Server:
    host: str
    port: int
    process: subprocess.Popen[bytes]


@contextlib.contextmanager
def gunicorn_server(
    *, env: dict[str, str], workers: int, threads: int = 1, log: Path | None = None
) -> Iterator[Server]:
    port = _free_port()
    worker_class = ["-k", "gthread", "--threads", str(threads)] if threads > 1 else ["-k", "sync"]
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "privacy_admin.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        *worker_class,
        "--backlog",
        "256",
        "--keep-alive",
        "30",
        "--preload",
        "--log-level",
        "warning",
    ]
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(  # noqa: S603 - fixed command
        command,
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=out,
        start_new_session=True,  # its own process group: the finally below stops master and workers
        preexec_fn=_die_with_parent,  # only prctl, before exec
    )
    try:
        _wait_ready("127.0.0.1", port, process)
        yield Server("127.0.0.1", port, process)
    finally:
        _stop(process)
        if log:
            out.close()  # type: ignore[union-attr]


def _wait_ready(host: str, port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode} before answering")
        try:
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@dataclass
class LoadResult:
    label: str
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    sample_errors: list[str] = field(default_factory=list)
    unsent: int = 0
    finished: float = 0.0

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)

    @property
    def throughput(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=1000, method="inclusive")[round(p * 10) - 1]

    def summary(self) -> str:
        bad = {k: v for k, v in self.statuses.items() if not 200 <= k < 300}
        return (
            f"{self.label}: {self.ok} ok in {self.seconds:.1f} s = {self.throughput:.0f}/s, "
            f"p50 {self.percentile(50):.1f} ms, p99 {self.percentile(99):.1f} ms"
            + (f", other statuses {bad}" if bad else "")
            + (f", failures {dict(self.failures)}" if self.failures else "")
            + (
                f", {self.unsent} requests due in the window never sent (server behind)"
                if self.unsent
                else ""
            )
        )


def run_load(
    *,
    label: str,
    host: str,
    port: int,
    token: str,
    path: str,
    bodies: Iterator[dict[str, Any]],
    clients: int = 16,
    seconds: float = 60.0,
    rate: float | None = None,
) -> LoadResult:
    lock = threading.Lock()
    result = LoadResult(label=label, seconds=seconds)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    start = time.perf_counter() + 0.2
    end = start + seconds
    per_client = rate / clients if rate else None

    def next_body() -> dict[str, Any] | None:
        with lock:
            return next(bodies, None)

    def client(c: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        failures: Counter[str] = Counter()
        errors: list[str] = []
        unsent = 0
        last = start
        k = 0
        while True:
            due = start + (k + c / clients) / per_client if per_client else max(time.perf_counter(), start)
            if due >= end:
                break
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            if time.perf_counter() >= end:
                # Due in the window, but this client was still waiting for earlier answers.
                unsent = int((end - due) * per_client) + 1 if per_client else 0
                break
            body = next_body()
            if body is None:
                break
            payload = json.dumps(body)
            try:
                conn.request("POST", path, body=payload, headers=headers)
                response = conn.getresponse()
                content = response.read()
                done = last = time.perf_counter()
                statuses[response.status] += 1
                if 200 <= response.status < 300:
                    latencies.append((done - due) * 1000)
                elif len(errors) < 3:
                    errors.append(f"{response.status} {content[:200]!r}")
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException) as exc:
                failures[type(exc).__name__] += 1
                conn.close()
            k += 1
        conn.close()
        with lock:
            result.unsent += unsent
            result.finished = max(result.finished, last)
            result.latencies_ms.extend(latencies)
            result.statuses.update(statuses)
            result.failures.update(failures)
            result.sample_errors.extend(errors)

    threads = [threading.Thread(target=client, args=(c,), daemon=True) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Answers that came after the window count against the rate: throughput is over the whole time.
    result.seconds = max(result.finished - start, min(seconds, time.perf_counter() - start), 1e-9)
    return result


def _processes() -> dict[int, tuple[int, float, str]]:
    """pid -> (parent pid, CPU seconds so far, command line) for every process."""
    hz = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / hz, command)
    return found


class OtherLoad:
    """How much CPU other users of the machine took while a phase was measured.

    A thread samples every process twice a second and adds up the CPU time of those that are not
    this bench's: neither this process and its descendants (gunicorn, the safety-net child) nor the
    PostgreSQL backends of the bench database. ``stop()`` answers in cores (0.0 = the machine was
    the bench's alone; 2.0 = others kept both cores busy).
    """

    def __init__(self, database: str) -> None:
        self.database = database
        self.other = 0.0
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _ours(self, processes: dict[int, tuple[int, float, str]]) -> set[int]:
        children: dict[int, list[int]] = {}
        for pid, (parent, _cpu, _cmd) in processes.items():
            children.setdefault(parent, []).append(pid)
        ours, todo = {os.getpid()}, [os.getpid()]
        while todo:
            for child in children.get(todo.pop(), []):
                if child not in ours:
                    ours.add(child)
                    todo.append(child)
        ours |= {
            pid
            for pid, (_p, _c, cmd) in processes.items()
            if cmd.startswith("postgres:") and f" {self.database} " in cmd
        }
        return ours

    def _run(self) -> None:
        last = _processes()
        while not self._stop.wait(0.5):
            now = _processes()
            ours = self._ours(now)
            for pid, (_parent, cpu, _cmd) in now.items():
                if pid not in ours and pid in last:
                    self.other += max(cpu - last[pid][1], 0.0)
            last = now

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.other / max(time.monotonic() - self.started, 1e-9)
