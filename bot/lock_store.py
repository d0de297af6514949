"""A Redis lock store that really serialises one conversation across several Rasa instances.

Rasa 3.6's ``RedisLockStore`` issues tickets with a read-modify-write of one JSON value: two
instances receiving messages of the same conversation at the same moment can both read "no
ticket", both write ticket 0 and both process at once (measured here; see RasaHQ/rasa#9213).
This store takes a plain Redis mutex instead: ``SET key token NX PX lifetime`` to acquire, a
compare-and-delete script to release. Messages of one conversation are handled one at a time;
a crashed holder frees the lock when its lifetime ends.

Used from ``deploy/endpoints.yml``::

    lock_store:
      type: bot.lock_store.AtomicRedisLockStore
      url: redis   # then port, db, password, key_prefix as for Rasa's redis lock store
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

POLL_SECONDS = 0.02
# Delete the key only if it still holds our token (it may have expired and been taken by another).
RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


class AtomicRedisLockStore(RedisLockStore):
    """One Redis mutex per conversation, shared by every Rasa instance."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        """Rasa builds custom lock stores from their endpoint config; the keys are those of ``type: redis``."""
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def mutex_key(self, conversation_id: str) -> str:
        return f"{self.key_prefix}mutex:{conversation_id}"

    @asynccontextmanager
    async def lock(  # type: ignore[override]
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        """Wait for the conversation's mutex (at most a lifetime plus a margin), hold it, release it."""
        key, token = self.mutex_key(conversation_id), uuid.uuid4().hex
        lifetime_ms = max(int(lock_lifetime * 1000), 1)
        deadline = asyncio.get_running_loop().time() + 2 * lock_lifetime + 1
        try:
            while not self.red.set(key, token, nx=True, px=lifetime_ms):
                if asyncio.get_running_loop().time() > deadline:
                    raise LockError(f"Could not acquire the lock of conversation '{conversation_id}'.")
                await asyncio.sleep(POLL_SECONDS)
        except RedisError as error:
            # Redis down: answer anyway rather than fail every message; the tracker store keeps the history.
            log.error("lock store unreachable (%s): message handled without a lock", type(error).__name__)
            yield TicketLock(conversation_id)
            return
        try:
            yield TicketLock(conversation_id)
        finally:
            try:
                self.red.eval(RELEASE, 1, key, token)
            except Exception as error:  # the lock expires by itself; never hide the real answer
                log.warning("could not release lock of a conversation: %s", type(error).__name__)
