"""The lock store without Redis: built from endpoints.yml like Rasa's, and never runs a message unlocked.

Its guarantees against a real Redis (order, one holder, dead holders…) are in
tests/integration/test_lock_store_promises.py.
"""

from __future__ import annotations

import asyncio
import socket

import pytest
from rasa.core.lock_store import LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from rasa_ext.stores.lock_store import AtomicRedisLockStore


def closed_port() -> int:
    """A local port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("store_class", [RedisLockStore, AtomicRedisLockStore], ids=["rasa", "ours"])
def test_redis_down_raises_lock_error_and_never_runs_the_message(store_class: type[RedisLockStore]) -> None:
    store = store_class(host="127.0.0.1", port=closed_port(), socket_timeout=0.2)
    ran: list[bool] = []

    async def go() -> None:
        async with store.lock("conversation", lock_lifetime=1, wait_time_in_seconds=0.01):
            ran.append(True)

    with pytest.raises(LockError):
        asyncio.run(go())
    assert not ran


def test_built_from_the_endpoint_config_as_rasa_does() -> None:
    """``type: rasa_ext.stores.lock_store.AtomicRedisLockStore`` with the keys of ``type: redis``
    (deploy/endpoints.yml)."""
    config = EndpointConfig.from_dict(
        {
            "type": "rasa_ext.stores.lock_store.AtomicRedisLockStore",
            "url": "redis.internal",
            "port": 6380,
            "db": 2,
            "password": "secret",
            "key_prefix": "mes",
        }
    )
    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore) and isinstance(store, RedisLockStore)  # Rasa: multi-worker ok
    connection = store.red.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"]) == ("redis.internal", 6380, 2)
    assert store.queue_key("abc") == "mes:lock:queue:abc"
