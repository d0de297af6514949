"""Wait for a server process to answer over HTTP, and stop it: shared by `make eval`, `make bench` and the tests."""

from __future__ import annotations

import subprocess
import time
import urllib.request


def answers(url: str) -> bool:
    """Whether ``url`` answers (any HTTP status below 400) within 2 seconds."""
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def wait_http(url: str, process: subprocess.Popen, timeout: float) -> None:
    """Return once ``url`` answers; raise if ``process`` exits first or nothing answers in ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} s'est arrêté (code {process.returncode})")
        if answers(url):
            return
        time.sleep(0.5)
    raise TimeoutError(f"{url} ne répond pas après {timeout:.0f} s")


def stop(process: subprocess.Popen | None) -> None:
    """Terminate the process (kill it after 30 s); nothing to do if it is absent or already ended."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)
