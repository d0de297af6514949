"""Conversation ids the site issues: a random UUID in a signed, HttpOnly, SameSite=Strict cookie.

The page never chooses the id Rasa knows the conversation by (its ``sender``). The site draws it, signs it
with HMAC-SHA256 and keeps it in a cookie the page's scripts cannot read; a request whose cookie is missing,
tampered with or signed with another key starts a new conversation. So an id learnt elsewhere (a log, a
review export, the tracker store) is not enough to post into that conversation: the signature is needed too.

Each audience has its own cookie (citizen page, advisors' page), so the two pages never share a
conversation. The cookie lasts as long as the browser session; on https it is ``Secure`` and named with the
``__Host-`` prefix (no Domain, Path=/: no sibling site can set it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
import uuid

from aiohttp import web

log = logging.getLogger(__name__)

AUDIENCES = ("citizen", "advisor")
COOKIE_NAMES = {"citizen": "mes-conversation", "advisor": "mes-conversation-accompagnement"}
SECURE_PREFIX = "__Host-"
MIN_KEY_BYTES = 32
CONVERSATION_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def signing_key(configured: str | None) -> bytes:
    """The key from MES_SESSION_KEY (32 characters at least), or a random one: conversations then last as long
    as this process (a restart of the site starts every conversation again)."""
    if configured:
        key = configured.encode("utf-8")
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"MES_SESSION_KEY est trop courte : {MIN_KEY_BYTES} caractères au moins.")
        return key
    log.warning("MES_SESSION_KEY is not set: random cookie key, conversations end when the site restarts")
    return secrets.token_bytes(MIN_KEY_BYTES)


def cookie_name(audience: str, secure: bool) -> str:
    """The cookie of ``audience`` (``__Host-`` prefixed on https)."""
    return (SECURE_PREFIX if secure else "") + COOKIE_NAMES[audience]


class ConversationCookies:
    """Issue, sign and check the conversation cookies with one key."""

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the signing key must have at least {MIN_KEY_BYTES} bytes")
        self._key = key

    def _signature(self, audience: str, conversation_id: str) -> str:
        mac = hmac.new(self._key, f"{audience}:{conversation_id}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")

    def value(self, audience: str, conversation_id: str) -> str:
        """The cookie value: ``<id>.<signature>``."""
        return f"{conversation_id}.{self._signature(audience, conversation_id)}"

    def verified_id(self, audience: str, value: str | None) -> str | None:
        """The conversation id of a cookie value if its signature is right (for this audience), else None."""
        if not value:
            return None
        conversation_id, _, signature = value.partition(".")
        if not CONVERSATION_ID.match(conversation_id):
            return None
        return conversation_id if hmac.compare_digest(signature, self._signature(audience, conversation_id)) else None

    def read(self, request: web.Request, audience: str, secure: bool) -> str | None:
        """This request's conversation id for ``audience``, or None (no cookie, or not a valid one)."""
        return self.verified_id(audience, request.cookies.get(cookie_name(audience, secure)))

    def attach(self, response: web.StreamResponse, audience: str, conversation_id: str, secure: bool) -> None:
        """Set the cookie of ``conversation_id`` on ``response`` (a session cookie)."""
        response.set_cookie(
            cookie_name(audience, secure),
            self.value(audience, conversation_id),
            path="/",
            httponly=True,
            secure=secure,
            samesite="Strict",
        )


def new_conversation_id() -> str:
    """A fresh conversation id: a random UUID (what Rasa gets as ``sender``)."""
    return str(uuid.uuid4())
