"""Processes of the bench: `rasa train`, one action server, one Rasa REST server at a time; their memory."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from tools.processes import stop, wait_http

ROOT = Path(__file__).resolve().parent.parent
RASA = Path(sys.executable).parent / "rasa"


def environment(**extra: str) -> dict[str, str]:
    """What every child process gets: the project on the path, no telemetry, quiet TensorFlow."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        **extra,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def train(name: str, config: Path, data: list[Path], out: Path, log: Path) -> float:
    """Wall clock of `rasa train` from scratch: empty output folder and an empty cache of its own."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    cache = out / "cache"  # never .rasa/cache: a warm cache would skip the work we want to time
    command = [str(RASA), "train", "--config", str(config), "--domain", str(ROOT / "domain"),
               "--data", *map(str, data), "--out", str(out), "--fixed-model-name", name, "--force"]  # fmt: skip
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as handle:
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=environment(RASA_CACHE_DIRECTORY=str(cache)),
                              stdout=handle, stderr=subprocess.STDOUT, check=False)  # fmt: skip
        elapsed = time.perf_counter() - started
    shutil.rmtree(cache, ignore_errors=True)
    if done.returncode != 0 or not (out / f"{name}.tar.gz").exists():
        raise RuntimeError(f"rasa train ({name}) failed, see {log}:\n{tail(log)}")
    return elapsed


class ActionServer:
    """The one `rasa run actions` shared by both models for the whole run."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/webhook"
        self.database_url = database_url
        self.log = log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> ActionServer:
        command = [str(RASA), "run", "actions", "--actions", "actions", "--port", str(self.port)]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        env = environment(FRANCE_SERVICES_DB_URL=self.database_url, SANIC_HOST="127.0.0.1")  # loopback only
        with self.log.open("w", encoding="utf-8") as handle:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
        try:
            wait_http(f"http://127.0.0.1:{self.port}/health", self.process, timeout=180)
        except RuntimeError as error:
            raise RuntimeError(f"action server: {error}:\n{tail(self.log)}") from error
        except TimeoutError:
            stop(self.process)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        stop(self.process)


def start_rasa(model: Path, port: int, endpoints: Path, credentials: Path, log: Path) -> subprocess.Popen:
    """`rasa run` on the REST channel, localhost only; the caller times it and stops it."""
    command = [str(RASA), "run", "--model", str(model), "--interface", "127.0.0.1", "--port", str(port),
               "--endpoints", str(endpoints), "--credentials", str(credentials)]  # fmt: skip
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as handle:
        return subprocess.Popen(command, cwd=ROOT, env=environment(), stdout=handle, stderr=subprocess.STDOUT)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def memory_mib(pid: int) -> dict[str, float]:
    """Resident memory (VmRSS) of the process and its children, and the process's peak (VmHWM), in MiB."""
    if not Path("/proc").is_dir():  # not Linux: psutil if it is installed
        import psutil  # type: ignore[import-not-found]

        process = psutil.Process(pid)
        rss = process.memory_info().rss + sum(c.memory_info().rss for c in process.children(recursive=True))
        return {"rss_mib": rss / 2**20, "peak_mib": float("nan")}
    pids, rss_kib = [pid], 0
    while pids:
        current = pids.pop()
        try:
            rss_kib += _status_kib(current, "VmRSS")
            pids += _children(current)
        except OSError:
            continue
    return {"rss_mib": rss_kib / 1024, "peak_mib": _status_kib(pid, "VmHWM") / 1024}
