"""`make run` starts the action server through scripts/actions.sh, listening on 127.0.0.1 only."""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

import pytest

from tests.conftest import free_port, start
from tools.processes import stop, wait_http

ROOT = Path(__file__).resolve().parents[2]


def listening_addresses(port: int) -> set[str] | None:
    """The local addresses of the TCP sockets listening on ``port`` (Linux /proc), or None elsewhere."""
    tables = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
    if not tables[0].exists():
        return None
    found = set()
    for table in tables:
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)
                # /proc prints each 32-bit word in host order (little-endian on the machines we run on)
                words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
                family = socket.AF_INET if len(words) == 4 else socket.AF_INET6
                found.add(socket.inet_ntop(family, words))
    return found


def non_loopback_addresses() -> set[str]:
    """This machine's IPv4 addresses other than 127.x: its outgoing one and its host name's."""
    found = set()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s, contextlib.suppress(OSError):
        s.connect(("192.0.2.1", 9))  # UDP: nothing is sent, the kernel only picks the outgoing address
        found.add(s.getsockname()[0])
    with contextlib.suppress(OSError):
        found |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    return {a for a in found if not a.startswith("127.") and a != "0.0.0.0"}


def test_run_script_starts_the_action_server_through_actions_sh():
    script = (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8")
    assert "scripts/actions.sh 5055 &" in script
    assert "rasa run actions" not in script  # no second way to start it, bound to every address


@pytest.mark.slow
def test_action_server_listens_on_loopback_only():
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("MES_ACTIONS_BIND", "SANIC_HOST")}
    process = start([str(ROOT / "scripts" / "actions.sh"), str(port)], env, "actions-bind.log")
    try:
        wait_http(f"http://127.0.0.1:{port}/health", process, timeout=180)
        listening = listening_addresses(port)
        if listening is not None:
            assert listening == {"127.0.0.1"}
        others = non_loopback_addresses()
        for address in others:
            with socket.socket() as s:
                s.settimeout(2)
                assert s.connect_ex((address, port)) != 0, f"the action server answers on {address}"
        if listening is None and not others:
            pytest.skip("neither /proc/net/tcp nor a non-loopback address to check the bind against")
    finally:
        stop(process)
