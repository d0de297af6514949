"""A Redis ticket lock that serialises one conversation across several Rasa instances, in arrival order.

Rasa 3.6's ``RedisLockStore`` issues tickets with a read-modify-write of one JSON value: two
instances receiving messages of the same conversation at the same moment can both read "no
ticket", both write ticket 0 and both process at once (RasaHQ/rasa#9213;
tests/integration/test_two_instances.py and test_lock_store_promises.py show it). Its tickets also
expire after the lifetime even while their holder still works, letting the next message in.

This store keeps Rasa's ticket lock (first come, first served) but runs every step as one Lua
script on one Redis hash per conversation, ``<key_prefix>queue:<conversation id>``:

- ``next``: how many tickets were issued (ticket numbers start at 0, as in Rasa);
- ``serving``: the ticket whose turn it is;
- ``<n>``: ``"<expiry ms, Redis clock>:<owner token>"`` for each ticket still alive.

A message takes a ticket and waits until ``serving`` reaches it; while it waits it refreshes its
ticket on each poll, and while it holds the lock a background task renews it every third of the
lifetime, so a slow holder keeps its turn. A ticket that is not refreshed (its process died)
expires after one lifetime and is skipped, so a crash never blocks the conversation for good.
Finishing deletes the ticket, hands the turn to the next and deletes the hash when it is empty.
When Redis fails, ``lock()`` raises ``LockError`` (as Rasa's store does) rather than running the
message unlocked. A waiter gives up with ``LockError`` after two lifetimes (Rasa's waiting tickets
expire after one).

Used from ``deploy/endpoints.yml``::

    lock_store:
      type: rasa_ext.stores.lock_store.AtomicRedisLockStore
      url: redis   # then port, db, password, key_prefix as for Rasa's redis lock store
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import deque
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

POLL_SECONDS = 0.02  # a waiter's longest pause between two looks at the queue
WAIT_LIFETIMES = 2  # a waiter gives up after this many lifetimes (one dead ticket ahead expires within one)
RENEWALS_PER_LIFETIME = 3

# Shared by every script: the Redis clock, ticket values, keeping the hash alive, skipping dead tickets.
PRELUDE = """
local key = KEYS[1]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local function expiry(value) return tonumber(string.match(value, '^(%d+):')) end
local function owner(value) return string.match(value, '^%d+:(.*)$') end
local function keep(lifetime)
  if redis.call('PTTL', key) < lifetime then redis.call('PEXPIRE', key, lifetime) end
end
local function advance(ticket)
  local serving = tonumber(redis.call('HGET', key, 'serving'))
  while serving < ticket do
    local value = redis.call('HGET', key, tostring(serving))
    if value and expiry(value) >= now then break end
    if value then redis.call('HDEL', key, tostring(serving)) end
    serving = serving + 1
  end
  redis.call('HSET', key, 'serving', serving)
  return serving
end
"""
# ARGV: lifetime ms, owner token. Returns {ticket, 1 if it is its turn else 0}.
ISSUE = (
    PRELUDE
    + """
local lifetime = tonumber(ARGV[1])
local ticket = redis.call('HINCRBY', key, 'next', 1) - 1
redis.call('HSETNX', key, 'serving', ticket)
redis.call('HSET', key, tostring(ticket), (now + lifetime) .. ':' .. ARGV[2])
keep(lifetime)
if advance(ticket) == ticket then return {ticket, 1} end
return {ticket, 0}
"""
)
# ARGV: ticket, owner token, lifetime ms. Refreshes the ticket; 1 its turn, 0 wait, -1 lost (expired).
REFRESH = (
    PRELUDE
    + """
local ticket, lifetime = tonumber(ARGV[1]), tonumber(ARGV[3])
local value = redis.call('HGET', key, ARGV[1])
if not value or owner(value) ~= ARGV[2] then return -1 end
redis.call('HSET', key, ARGV[1], (now + lifetime) .. ':' .. ARGV[2])
keep(lifetime)
if advance(ticket) == ticket then return 1 end
return 0
"""
)
# ARGV: ticket, owner token ('' for any). Removes the ticket, passes the turn on, drops an empty queue.
FINISH = (
    PRELUDE
    + """
local value = redis.call('HGET', key, ARGV[1])
if value and (ARGV[2] == '' or owner(value) == ARGV[2]) then
  redis.call('HDEL', key, ARGV[1])
  value = false
end
if not value and tonumber(redis.call('HGET', key, 'serving')) == tonumber(ARGV[1]) then
  redis.call('HSET', key, 'serving', tonumber(ARGV[1]) + 1)
end
if redis.call('HLEN', key) <= 2 then redis.call('DEL', key) end
return 1
"""
)
# ARGV: ticket, expiry ms, ticket, expiry ms… Replaces the queue by these tickets (Rasa's save_lock).
SAVE = (
    PRELUDE
    + """
local issued = tonumber(redis.call('HGET', key, 'next')) or 0
redis.call('DEL', key)
if #ARGV == 0 then return 0 end
local last = 0
for i = 1, #ARGV, 2 do
  redis.call('HSET', key, ARGV[i], ARGV[i + 1] .. ':')
  last = math.max(last, tonumber(ARGV[i + 1]))
  issued = math.max(issued, tonumber(ARGV[i]) + 1)
end
redis.call('HSET', key, 'next', issued, 'serving', ARGV[1])
redis.call('PEXPIRE', key, math.max(last - now, 1))
return 1
"""
)


class AtomicRedisLockStore(RedisLockStore):
    """First-come first-served ticket lock per conversation, atomic across every Rasa instance."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        """Rasa builds custom lock stores from their endpoint config; the keys are those of ``type: redis``."""
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
        scripts = {"issue": ISSUE, "refresh": REFRESH, "finish": FINISH, "save": SAVE}
        self.scripts = {name: self.red.register_script(text) for name, text in scripts.items()}

    def queue_key(self, conversation_id: str) -> str:
        return f"{self.key_prefix}queue:{conversation_id}"

    def _run(self, script: str, conversation_id: str, *args: Any) -> Any:
        """Run one of the scripts on the conversation's queue, through ``self.red`` (EVALSHA, loaded if needed)."""
        return self.scripts[script](keys=[self.queue_key(conversation_id)], args=args, client=self.red)

    # Rasa's LockStore interface, each step atomic.

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Queue a ticket nobody renews: it expires after ``lock_lifetime`` unless finished before."""
        try:
            return int(self._run("issue", conversation_id, milliseconds(lock_lifetime), uuid.uuid4().hex)[0])
        except RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        """The conversation's live tickets as Rasa's ``TicketLock`` (expiry in seconds since the epoch)."""
        fields = self.red.hgetall(self.queue_key(conversation_id))
        tickets = [
            Ticket(int(name), int(value.split(b":", 1)[0]) / 1000) for name, value in fields.items() if name.isdigit()
        ]
        tickets.sort(key=lambda ticket: ticket.number)
        return TicketLock(conversation_id, deque(tickets)) if tickets else None

    def save_lock(self, lock: TicketLock) -> None:
        """Replace the conversation's queue by ``lock``'s tickets (their owners lose them)."""
        args: list[int] = []
        for ticket in sorted(lock.tickets, key=lambda t: t.number):
            args += [ticket.number, int(ticket.expires * 1000)]
        self._run("save", lock.conversation_id, *args)

    def delete_lock(self, conversation_id: str) -> None:
        self._log_deletion(conversation_id, bool(self.red.delete(self.queue_key(conversation_id))))

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the ticket and hand the turn to the next one."""
        self._run("finish", conversation_id, ticket_number, "")

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish the ticket; the queue is deleted as soon as no ticket is left."""
        self.finish_serving(conversation_id, ticket_number)

    @asynccontextmanager
    async def lock(  # type: ignore[override]
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        """Take a ticket, wait for its turn, hold it (renewed) while the body runs, then pass the turn on.

        Raises ``LockError`` when Redis fails before the turn comes, when the ticket expired while
        waiting, or after waiting ``WAIT_LIFETIMES`` lifetimes. Polls at least every ``POLL_SECONDS``.
        """
        token, lifetime_ms = uuid.uuid4().hex, milliseconds(lock_lifetime)
        try:
            ticket, turn = (int(value) for value in self._run("issue", conversation_id, lifetime_ms, token))
        except RedisError as error:
            raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}': {error}") from error
        try:
            if not turn:
                await self._wait_turn(conversation_id, ticket, token, lock_lifetime, wait_time_in_seconds)
            renewal = asyncio.create_task(self._renew(conversation_id, ticket, token, lock_lifetime))
            try:
                yield TicketLock(conversation_id, deque([Ticket(ticket, time.time() + lock_lifetime)]))
            finally:
                renewal.cancel()  # it never calls Redis again: it only ever waits in its sleep
        finally:
            try:
                self._run("finish", conversation_id, ticket, token)
            except RedisError as error:  # the ticket expires by itself; never hide the body's outcome
                log.warning("could not release a conversation lock (%s): it expires by itself", type(error).__name__)

    async def _wait_turn(self, conversation_id: str, ticket: int, token: str, lifetime: float, pause: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_LIFETIMES * lifetime
        pause = min(pause, POLL_SECONDS)
        while True:
            await asyncio.sleep(pause)
            try:
                state = int(self._run("refresh", conversation_id, ticket, token, milliseconds(lifetime)))
            except RedisError as error:
                raise LockError(f"Lock store failed while conversation '{conversation_id}' waited: {error}") from error
            if state == 1:
                return
            if state < 0:
                raise LockError(f"Ticket {ticket} of conversation '{conversation_id}' expired while waiting.")
            if loop.time() > deadline:
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}' in time.")

    async def _renew(self, conversation_id: str, ticket: int, token: str, lifetime: float) -> None:
        """Keep the holder's ticket alive for as long as the ``lock()`` body runs."""
        while True:
            await asyncio.sleep(lifetime / RENEWALS_PER_LIFETIME)
            try:
                state = int(self._run("refresh", conversation_id, ticket, token, milliseconds(lifetime)))
            except RedisError as error:
                log.warning("could not renew a conversation lock (%s): retrying", type(error).__name__)
                continue
            if state < 0:
                log.error("a conversation lock expired while held: messages may run concurrently")
                return


def milliseconds(seconds: float) -> int:
    return max(int(seconds * 1000), 1)
