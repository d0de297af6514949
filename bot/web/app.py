"""The citizen web front: the DSFR chat page, a proxy to Rasa's REST channel, and /health.

Rasa's own port never needs to be public: the browser only talks to this app.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import aiohttp
from aiohttp import hdrs, web

from bot import feedback
from bot.contact import HOTLINE_HOURS, expand
from bot.places.position import rounded_payload
from bot.privacy import find_personal_data, redact
from bot.web import assets
from bot.web.conversation import ConversationCookies, new_conversation_id, signing_key
from bot.web.ratelimit import FairLimiter, RateLimiter, address_key
from bot.web.settings import Settings

log = logging.getLogger(__name__)

ADVISOR_START = '/set_audience{"audience": "advisor"}'  # what the advisors' page sends first (static/js/state.js)
MAX_BOT_MESSAGES = 30
MAX_BUTTONS = 10
DRAIN_LIMIT_BYTES = 1024 * 1024  # bigger bodies are refused without being read (connection closed)
MAX_SUMMARY_SECTIONS = 8
MAX_SUMMARY_ITEMS = 20
MAX_SUMMARY_LINE = 500
# The printable sheets: « Fiche récapitulative » (bot/summary.py) and « Préparer ma visite » (bot/visit.py).
SUMMARY_KINDS = ("summary", "visit")

UNAVAILABLE = (
    f"Le service ne répond pas. Réessayez dans un instant ou appelez le 3422 ({HOTLINE_HOURS})."
)
TOO_SLOW = "L'assistant met trop de temps à répondre. Réessayez dans un instant ou appelez le 3422."
BAD_REQUEST = "Votre message n'a pas pu être lu. Rechargez la page puis réessayez."
EMPTY = "Votre message est vide. Écrivez votre question, puis appuyez sur « Envoyer »."
TOO_LONG = "Votre message est trop long ({chars} caractères). Écrivez-le en moins de {limit} caractères."
TOO_BIG = "Votre message est trop long. Écrivez-le en moins de {limit} caractères."
TOO_MANY = "Vous envoyez beaucoup de messages. Attendez quelques secondes, puis réessayez."
ENCODED = "Votre message n'a pas pu être lu (envoi compressé refusé). Rechargez la page puis réessayez."
NOT_FOUND = "Cette page n'existe pas."
NOT_KEPT = (
    "Pour votre sécurité, je n'ai pas gardé ce que vous avez écrit ({kinds}).\n"
    "Ne l'écrivez jamais dans une discussion : personne ne vous le demandera ici.\n"
    "L'Assurance Maladie ne demande jamais vos codes ni votre mot de passe par e-mail ou SMS."
)
INTERNAL = "Une erreur est survenue. Réessayez dans un instant ou appelez le 3422."
HUMAN_BUTTON = {"title": "Parler à un conseiller", "payload": '/faq{"answer": "ask_human"}'}
FEEDBACK_NO_CONVERSATION = (
    "Votre avis n'a pas pu être enregistré : la discussion a expiré. Rechargez la page, puis réessayez."
)
FEEDBACK_TOO_MANY = "Vous avez donné beaucoup d'avis en peu de temps. Attendez un moment, puis réessayez."
FEEDBACK_DOWN = "Votre avis n'a pas pu être enregistré. Réessayez dans un instant."
# « Cette réponse vous a aidé ? »: one click per answer shown; a person reads answers far slower than this.
FEEDBACK_RATE = (10.0, 0.1)  # per conversation: 10 at once, then one every 10 s
FEEDBACK_ADDRESS_RATE = (100.0, 1.0)  # per address (a France Services office behind one NAT)
ACTIONS_DOWN = (
    "Une partie du service est momentanément indisponible : je ne peux pas répondre à cette demande.\n"
    "Réessayez dans quelques minutes : vous reprendrez là où vous en étiez.\n"
    f"Vous pouvez aussi appeler le 3422, {HOTLINE_HOURS}."
)

CSP = (
    f"default-src 'self'; script-src 'self' {assets.script_hash(assets.TEXT_SIZE_SCRIPT)}; "
    "style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "geolocation=(self), camera=(), microphone=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

SETTINGS = web.AppKey("settings", Settings)
LIMITS = web.AppKey("limits", FairLimiter)
COOKIES = web.AppKey("cookies", ConversationCookies)
CLIENT = web.AppKey("client", aiohttp.ClientSession)
PAGES = web.AppKey("pages", dict)
FEEDBACK_LIMITS = web.AppKey("feedback_limits", FairLimiter)
FEEDBACK_DB = web.AppKey("feedback_db", str)
VERSIONS = web.AppKey("versions", dict)  # URL path -> version of the file's content (assets.version)
BUNDLE = web.AppKey("bundle", dict)  # assets.CSS_URL's content, plain and gzip, once per process
MODULES = web.AppKey("modules", dict)  # the widget's ES modules and their folder's version, once per process


def error(status: int, message: str) -> web.Response:
    """A JSON error the widget shows as is."""
    return web.json_response({"error": message}, status=status, headers={"Cache-Control": "no-store"})


@web.middleware
async def security_headers(request: web.Request, handler: Any) -> web.StreamResponse:
    """Strict headers on every response; JSON errors instead of HTML pages or tracebacks."""
    try:
        response = await handler(request)
    except web.HTTPRequestEntityTooLarge:
        limit = request.app[SETTINGS].max_message_chars
        response = error(413, TOO_BIG.format(limit=limit))
    except web.HTTPNotFound:
        response = error(404, NOT_FOUND)
    except web.HTTPMethodNotAllowed:
        response = error(405, NOT_FOUND)
    except web.HTTPException as exc:
        response = error(exc.status, INTERNAL if exc.status >= 500 else BAD_REQUEST)
    except asyncio.CancelledError:
        raise
    except Exception:  # never show a traceback; log the kind only (no user text)
        log.exception("unexpected error on %s %s", request.method, request.path)
        response = error(500, INTERNAL)
    response.headers.update(SECURITY_HEADERS)
    return response


@web.middleware
async def refuse_encoded_bodies(request: web.Request, handler: Any) -> web.StreamResponse:
    """415 for a compressed request body, before anything reads it (and the server never inflates one:
    create_app turns aiohttp's automatic decompression off), so a small "zip bomb" stays small."""
    codings = {c.strip().lower() for v in request.headers.getall(hdrs.CONTENT_ENCODING, []) for c in v.split(",")}
    if codings - {"", "identity"}:
        return error(415, ENCODED)
    return await handler(request)


def accepts_gzip(request: web.Request) -> bool:
    codings = request.headers.get(hdrs.ACCEPT_ENCODING, "").split(",")
    return any(c.split(";")[0].strip().lower() == "gzip" for c in codings)


STATIC_PREFIXES = ("/static/", "/dsfr/")
# What the caching and compression middleware treats as static: those folders and the widget's modules.
CACHED_PREFIXES = (*STATIC_PREFIXES, assets.MODULES_URL)


def static_folders(settings: Settings) -> tuple[tuple[str, Path], ...]:
    """The URL prefixes of the static files and the folders they are served from."""
    return tuple(zip(STATIC_PREFIXES, (settings.static_dir, settings.dsfr_dir), strict=True))


def _file_of(app: web.Application, path: str) -> Path | None:
    """The file a /static/ or /dsfr/ URL path names (None for anything else or a path leaving its folder)."""
    for prefix, folder in static_folders(app[SETTINGS]):
        if path.startswith(prefix):
            file = (folder / path[len(prefix) :]).resolve()
            return file if file.is_relative_to(folder.resolve()) and file.is_file() else None
    return None


def version_of(app: web.Application, path: str) -> str | None:
    """The version of the file at URL ``path`` (assets.version), computed once per process; None if unknown."""
    versions = app[VERSIONS]
    if path not in versions:
        if path == assets.CSS_URL:
            css = _bundle(app)["plain"]
            versions[path] = assets.version(css) if css is not None else None
        else:
            file = _file_of(app, path)
            versions[path] = assets.version(file.read_bytes()) if file is not None else None
    return versions[path]


def _modules(app: web.Application) -> dict[str, Any]:
    """The widget's ES modules (name -> bytes, as read at start-up) and their folder's version, once per process:
    what is served is what the version was computed from."""
    modules = app[MODULES]
    if not modules:
        files = assets.modules(app[SETTINGS].static_dir)
        modules.update(files=files, version=assets.modules_version(files))
    return modules


def long_cached(request: web.Request) -> bool:
    """Whether a static URL names its content's current version: in the path for the widget's modules
    (``/assets/js/<version>/``), else in ``?v=``."""
    if request.path.startswith(assets.MODULES_URL):
        return request.match_info.get("version") == _modules(request.app)["version"]
    current = request.query.get("v")
    return bool(current) and current == version_of(request.app, request.path)


CONDITIONAL = (hdrs.RANGE, hdrs.IF_RANGE, hdrs.IF_NONE_MATCH, hdrs.IF_MODIFIED_SINCE)


@web.middleware
async def caching_and_compression(request: web.Request, handler: Any) -> web.StreamResponse:
    """Static files: a year in the cache when the URL carries the content's version (``?v=``, put there by
    the pages, or the widget modules' folder version in their path), else ``no-cache`` (revalidated); text
    files gzip-compressed for a browser that accepts it. The pages themselves: ``no-cache`` and compressed too."""
    response = await handler(request)
    path = request.path
    static = path.startswith(CACHED_PREFIXES)
    if request.method not in ("GET", "HEAD") or response.status != 200 or not (static or path in PAGE_PATHS):
        return response
    if hdrs.CACHE_CONTROL not in response.headers:
        versioned = static and long_cached(request)
        response.headers[hdrs.CACHE_CONTROL] = assets.LONG_CACHE if versioned else assets.REVALIDATE
    compressible = path in PAGE_PATHS or Path(path).suffix.lower() in assets.COMPRESSIBLE
    # Not for a conditional or partial request: FileResponse may turn into a 304 or 206 when it is sent, and
    # neither may carry a compressed body (such a request is a revalidation: its answer is mostly a 304).
    conditional = any(h in request.headers for h in CONDITIONAL)
    if compressible and not conditional:
        response.headers.add(hdrs.VARY, hdrs.ACCEPT_ENCODING)
        if accepts_gzip(request):
            response.enable_compression(web.ContentCoding.gzip)
    return response


async def hide_server(request: web.Request, response: web.StreamResponse) -> None:
    """No ``Server`` banner (aiohttp would name itself and its version)."""
    response.headers.popall(hdrs.SERVER, None)


def client_key(request: web.Request, settings: Settings) -> str:
    """Where from: the peer address, or the first X-Forwarded-For address behind a trusted proxy (an IPv6
    address counts as its /64 network, see ratelimit.address_key)."""
    if settings.trust_forwarded_for:
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[0].strip()
        if forwarded:
            return address_key(forwarded)
    return address_key(request.remote or "unknown")


def is_https(request: web.Request, settings: Settings) -> bool:
    """Whether the browser talks https: to this app, or to the trusted reverse proxy (X-Forwarded-Proto)."""
    if request.secure:
        return True
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    return settings.trust_forwarded_for and forwarded == "https"


def clean_summary(custom: Any) -> dict[str, Any] | None:
    """The summary sheet sent by action_summary, if well formed: strings only, bounded sizes."""
    sheet = custom.get("summary") if isinstance(custom, dict) else None
    if not isinstance(sheet, dict):
        return None
    title, date, sections = sheet.get("title"), sheet.get("date"), sheet.get("sections")
    if not isinstance(title, str) or not isinstance(date, str) or not isinstance(sections, list):
        return None
    cleaned = []
    for section in sections[:MAX_SUMMARY_SECTIONS]:
        if not isinstance(section, dict) or not isinstance(section.get("heading"), str):
            return None
        items = section.get("items")
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            return None
        cleaned.append({"heading": section["heading"][:MAX_SUMMARY_LINE],
                        "items": [i[:MAX_SUMMARY_LINE] for i in items[:MAX_SUMMARY_ITEMS]]})  # fmt: skip
    kind = sheet.get("kind") if sheet.get("kind") in SUMMARY_KINDS else "summary"
    return {"title": title[:MAX_SUMMARY_LINE], "date": date[:MAX_SUMMARY_LINE], "sections": cleaned, "kind": kind}


def clean_answer_id(custom: Any) -> str | None:
    """The id of the bank's answer a message shows (sent by actions/answers.py), if well formed."""
    answer_id = custom.get("answer_id") if isinstance(custom, dict) else None
    return answer_id if isinstance(answer_id, str) and feedback.ANSWER_ID.match(answer_id) else None


def clean_bot_messages(payload: Any) -> list[dict[str, Any]]:
    """Keep only text, buttons (strings), a well-formed summary sheet and an answer id from Rasa's reply;
    drop the rest.

    Rasa sends a custom payload as its own message: the summary and the answer id (« Cette réponse vous
    a aidé ? » under it) are attached to the message before it; an answer id with no message before is dropped.
    """
    messages: list[dict[str, Any]] = []
    if not isinstance(payload, list):
        return messages
    for item in payload[:MAX_BOT_MESSAGES]:
        if not isinstance(item, dict):
            continue
        text = item.get("text") if isinstance(item.get("text"), str) else None
        buttons = [
            {"title": b["title"], "payload": b["payload"]}
            for b in (item.get("buttons") or [])[:MAX_BUTTONS]
            if isinstance(b, dict) and isinstance(b.get("title"), str) and isinstance(b.get("payload"), str)
        ]
        if text or buttons:
            messages.append({"text": text, "buttons": buttons})
        summary = clean_summary(item.get("custom"))
        if summary is not None:
            if not messages:
                messages.append({"text": summary["title"], "buttons": []})
            messages[-1]["summary"] = summary
        answer_id = clean_answer_id(item.get("custom"))
        if answer_id is not None and messages:
            messages[-1]["answer_id"] = answer_id
    return messages


async def read_json_object(
    request: web.Request, settings: Settings, too_big: str = BAD_REQUEST
) -> dict[str, Any] | web.Response:
    """The JSON object of a small request body, or the error response to send back (``too_big`` for a body over
    the limit, which is read and dropped when moderate so that the client gets the answer rather than a reset)."""
    declared = request.content_length or 0
    if declared > settings.max_body_bytes:
        if declared <= DRAIN_LIMIT_BYTES:
            while await request.content.readany():
                pass
        return error(413, too_big)
    if request.content_type != "application/json":
        return error(400, BAD_REQUEST)
    try:
        body = json.loads((await request.read()).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return error(400, BAD_REQUEST)
    return body if isinstance(body, dict) else error(400, BAD_REQUEST)


def audience_of(body: dict[str, Any]) -> str:
    """The page a request comes from: ``advisor`` or ``citizen`` (anything else)."""
    return "advisor" if body.get("audience") == "advisor" else "citizen"


class ChatRequest(NamedTuple):
    """What the page may say: its message, its audience (its own conversation) and "start a new one"."""

    message: str
    audience: str  # "citizen" or "advisor"
    new_conversation: bool


async def read_chat_request(request: web.Request, settings: Settings) -> ChatRequest | web.Response:
    """The message, audience and new-conversation flag of a chat request, or the error response to send back.

    Any sender or session id in the body is ignored: the conversation is the one of the signed cookie.
    """
    body = await read_json_object(request, settings, TOO_BIG.format(limit=settings.max_message_chars))
    if isinstance(body, web.Response):
        return body
    message = body.get("message")
    if not isinstance(message, str):
        return error(400, BAD_REQUEST)
    message = message.replace("\x00", "").strip()
    if not message:
        return error(400, EMPTY)
    if len(message) > settings.max_message_chars:
        return error(413, TOO_LONG.format(chars=len(message), limit=settings.max_message_chars))
    return ChatRequest(message, audience_of(body), body.get("new_conversation") is True)


async def read_limited(
    request: web.Request, limits: FairLimiter, reader: Callable[[web.Request, Settings], Awaitable[Any]], too_many: str
) -> tuple[str, Any] | web.Response:
    """The client's key and the request as ``reader`` reads it, or the error response to send back: an address
    over its limit is refused before reading, and a bad request costs the address one try."""
    settings = request.app[SETTINGS]
    address = client_key(request, settings)
    if not limits.address_open(address):
        return error(429, too_many)
    parsed = await reader(request, settings)
    if isinstance(parsed, web.Response):
        limits.charge(address)
        return parsed
    return address, parsed


async def chat(request: web.Request) -> web.Response:
    """Forward one user message to Rasa's REST channel, in the conversation of the request's signed cookie
    (a new one, and its cookie, when there is none), and return its cleaned replies."""
    settings, limits, cookies = request.app[SETTINGS], request.app[LIMITS], request.app[COOKIES]
    read = await read_limited(request, limits, read_chat_request, TOO_MANY)
    if isinstance(read, web.Response):
        return read
    address, parsed = read
    secure = is_https(request, settings)
    conversation = None if parsed.new_conversation else cookies.read(request, parsed.audience, secure)
    issued = conversation is None
    conversation = conversation or new_conversation_id()
    if not limits.allow(address, conversation):  # this conversation's limit, then its address's
        return error(429, TOO_MANY)
    response = await answer(request, settings, conversation, parsed, issued)
    if issued:  # even with an error: a retry goes on in the same conversation
        cookies.attach(response, parsed.audience, conversation, secure)
    return response


async def ask_rasa(request: web.Request, settings: Settings, sender: str, message: str) -> Any:
    """Rasa's raw reply to ``message`` from ``sender``, or the error response to send back."""
    started = time.perf_counter()
    try:
        async with request.app[CLIENT].post(
            f"{settings.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=aiohttp.ClientTimeout(total=settings.rasa_timeout_s),
        ) as response:
            if response.status != 200:
                log.warning("rasa answered HTTP %s", response.status)
                return error(502, UNAVAILABLE)
            payload = await response.json(content_type=None)
    except asyncio.TimeoutError:
        log.warning("rasa timed out after %.1f s", settings.rasa_timeout_s)
        return error(504, TOO_SLOW)
    except (aiohttp.ClientError, ValueError) as exc:
        log.warning("rasa unreachable: %s", type(exc).__name__)
        return error(503, UNAVAILABLE)
    log.info("chat turn answered in %.0f ms", (time.perf_counter() - started) * 1000)
    return payload


async def answer(
    request: web.Request, settings: Settings, conversation: str, parsed: ChatRequest, issued: bool
) -> web.Response:
    """Redact the message, send it to Rasa as ``conversation`` and build the page's answer.

    The answer carries ``redacted`` (the text as Rasa got it) when personal data was masked, so that the page
    keeps and shows that text instead of what was typed.
    """
    message = parsed.message
    message = rounded_payload(message)  # a shared position reaches Rasa to about 1 km, whatever the client sent
    personal = find_personal_data(message)
    if personal:  # Rasa never sees it: the placeholders keep the sense ("j'ai perdu mon code")
        message = redact(message)
    if issued and parsed.audience == "advisor" and message != ADVISOR_START:
        # A new advisors' conversation that did not start with the page's silent start (its cookie was lost,
        # or signed with a key the site no longer has): tell Rasa the audience first, as the page would.
        started = await ask_rasa(request, settings, conversation, ADVISOR_START)
        if isinstance(started, web.Response):
            return started
    payload = await ask_rasa(request, settings, conversation, message)
    if isinstance(payload, web.Response):
        return payload
    messages = clean_bot_messages(payload)
    actions_down = not messages and (
        await _probe(request.app[CLIENT], settings.actions_health_url, settings.health_timeout_s) != "ok"
    )
    if actions_down:
        log.warning("empty answer while the action server is down")
        messages = [{"text": ACTIONS_DOWN, "buttons": [HUMAN_BUTTON]}]
    if personal:
        notice = NOT_KEPT.format(kinds=", ".join(dict.fromkeys(personal)))
        messages.insert(0, {"text": notice, "buttons": []})
    body: dict[str, Any] = {"messages": messages}
    if personal:
        body["redacted"] = message
    return web.json_response(body, headers={"Cache-Control": "no-store"})


async def give_feedback(request: web.Request) -> web.Response:
    """« Cette réponse vous a aidé ? »: store the answer's id, yes/no, the reason, the audience and the day.

    Body: ``{"answer_id", "helpful", "reason", "audience"}`` (other keys ignored). The audience's signed
    conversation cookie must be there (the page had a conversation, as /api/chat issues it): it keys the rate
    limit and is never stored. The row is written in a worker thread (bot/feedback.py), off the event loop.
    """
    settings, limits = request.app[SETTINGS], request.app[FEEDBACK_LIMITS]
    read = await read_limited(request, limits, read_json_object, FEEDBACK_TOO_MANY)
    if isinstance(read, web.Response):
        return read
    address, body = read
    audience = audience_of(body)
    conversation = request.app[COOKIES].read(request, audience, is_https(request, settings))
    if conversation is None:
        limits.charge(address)
        return error(403, FEEDBACK_NO_CONVERSATION)
    try:
        fields = feedback.check(body.get("answer_id"), body.get("helpful"), body.get("reason"), audience)
    except feedback.FeedbackError as exc:
        limits.charge(address)
        return error(400, str(exc))
    if not limits.allow(address, conversation):
        return error(429, FEEDBACK_TOO_MANY)
    store = partial(feedback.record, *fields, url=request.app[FEEDBACK_DB])
    try:
        await asyncio.get_running_loop().run_in_executor(None, store)
    except Exception as exc:  # SQLAlchemyError, driver or disk errors: the kind is logged, never the data
        log.warning("feedback not stored: %s", type(exc).__name__)
        return error(503, FEEDBACK_DOWN)
    return web.json_response({"status": "ok"}, status=201, headers={"Cache-Control": "no-store"})


async def _probe(client: aiohttp.ClientSession, url: str, timeout_s: float) -> str:
    try:
        async with client.get(url, timeout=aiohttp.ClientTimeout(total=timeout_s)) as response:
            return "ok" if response.status == 200 else "down"
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        return "down"


def _database_status(url: str | None) -> str:
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from bot.france_services.store import engine_from_url

    try:
        engine = engine_from_url(url)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except (SQLAlchemyError, ImportError, ValueError):
        return "down"
    return "ok"


async def health(request: web.Request) -> web.Response:
    """Rasa, the action server and the France Services database: "ok" or "down" each; 503 if any is down."""
    settings, client = request.app[SETTINGS], request.app[CLIENT]
    rasa, actions, database = await asyncio.gather(
        _probe(client, f"{settings.rasa_url}/", settings.health_timeout_s),
        _probe(client, settings.actions_health_url, settings.health_timeout_s),
        asyncio.get_running_loop().run_in_executor(None, _database_status, settings.database_url),
    )
    checks = {"rasa": rasa, "actions": actions, "database": database}
    healthy = all(v == "ok" for v in checks.values())
    body = {"status": "ok" if healthy else "degraded", **checks}
    return web.json_response(body, status=200 if healthy else 503, headers={"Cache-Control": "no-store"})


# Whole lines of a page that become lines of assets (at the same indentation): the shared head and scripts.
SHARED_LINES = {"head": assets.head_lines, "scripts": assets.script_lines}
SHARED = re.compile(r"^(?P<indent>[ \t]*)<!--#(?P<name>head|scripts)-->$", re.MULTILINE)
HEADER = re.compile(r"<!--#header (.*?)-->")
FOOTER = "<!--#footer-->"
CHAT = "<!--#chat-->"


def render_page(static_dir: Path, name: str) -> str | None:
    """A page with the shared head and scripts (assets) and the DSFR header and footer (static/partials) put in,
    or None if it is missing.

    The line ``<!--#head-->`` becomes assets.head_lines (favicons, fonts, stylesheets) at its indentation,
    ``<!--#scripts-->`` assets.script_lines (DSFR's scripts and the widget's entry module);
    ``<!--#header Tagline-->`` partials/header.html with its tagline; ``<!--#footer-->`` the footer and the end of
    the page (partials/footer.html, which holds ``<!--#scripts-->``);
    ``<!--#chat-->`` the chat widget's markup (the DOM the widget's modules work on, the same on every page);
    ``{hotline_hours}`` the hotline's hours (bot/contact.py).
    """
    try:
        page = (static_dir / name).read_text(encoding="utf-8")
        header, footer, chat = (
            (static_dir / "partials" / f"{part}.html").read_text(encoding="utf-8").rstrip("\n")
            for part in ("header", "footer", "chat")
        )
    except OSError:
        return None
    page = HEADER.sub(lambda m: header.replace("{tagline}", m.group(1)), page)
    page = page.replace(FOOTER, footer).replace(CHAT, chat)
    page = SHARED.sub(lambda m: "\n".join(m["indent"] + line for line in SHARED_LINES[m["name"]]()), page)
    return expand(page)


ASSET_URL = re.compile(r'(<(?:link|script)\b[^>]*?\b(?:href|src)=")((?:/static/|/dsfr/|/assets/)[^"?]+\.(?:css|js))"')


# The page's placeholder for the widget's entry module: its file in static/js/, rewritten by module_scripts.
MODULE_SCRIPT = re.compile(
    r'(?P<indent>[ \t]*)<script type="module" src="/static/' + assets.MODULES_DIR + "/"
    r'(?P<name>[^"/]+)"(?P<rest>[^>]*)></script>'
)


def module_scripts(app: web.Application, page: str) -> str:
    """``<script type="module" src="/static/js/chat.js">`` becomes the module at its versioned path
    (``/assets/js/<version>/chat.js``), after one ``<link rel="modulepreload">`` per other module, so that the
    browser fetches them all at once instead of discovering the imports one level at a time."""
    modules = _modules(app)
    files, current = modules["files"], modules["version"]

    def rewrite(match: re.Match[str]) -> str:
        indent, name, rest = match["indent"], match["name"], match["rest"]
        if current is None or name not in files:
            return match.group(0)
        folder = f"{assets.MODULES_URL}{current}/"
        # At the default priority, not the entry script's fetchpriority="low": measured with `make lighthouse`,
        # low-priority preloads arrive late and their work lands after the first paint (total blocking time).
        preloads = [f'{indent}<link rel="modulepreload" href="{folder}{n}">' for n in files if n != name]
        return "\n".join([*preloads, f'{indent}<script type="module" src="{folder}{name}"{rest}></script>'])

    return MODULE_SCRIPT.sub(rewrite, page)


def versioned(app: web.Application, page: str) -> str:
    """The page with the widget's modules at their versioned path (module_scripts) and ``?v=<version>`` after
    each of its other stylesheet and script URLs (those that exist)."""

    def add_version(match: re.Match[str]) -> str:
        tag, url = match.groups()
        current = None if url.startswith(assets.MODULES_URL) else version_of(app, url)
        return f'{tag}{url}?v={current}"' if current else match.group(0)

    return ASSET_URL.sub(add_version, module_scripts(app, page))


def _bundle(app: web.Application) -> dict[str, bytes | None]:
    bundle = app[BUNDLE]
    if not bundle:  # put together once per process
        css = assets.site_css(app[SETTINGS].dsfr_dir, app[SETTINGS].static_dir)
        bundle.update(plain=css, gzip=gzip.compress(css, 9, mtime=0) if css is not None else None)
    return bundle


async def site_stylesheet(request: web.Request) -> web.StreamResponse:
    """assets.CSS_URL: the DSFR parts the pages use and chat.css, in one file (compressed once, at start-up)."""
    bundle = _bundle(request.app)
    if bundle["plain"] is None:
        raise web.HTTPNotFound()
    current = version_of(request.app, assets.CSS_URL)
    cache = assets.LONG_CACHE if request.query.get("v") == current else assets.REVALIDATE
    headers = {hdrs.CACHE_CONTROL: cache, hdrs.VARY: hdrs.ACCEPT_ENCODING, hdrs.ETAG: f'"{current}"'}
    if request.headers.get(hdrs.IF_NONE_MATCH) == f'"{current}"':
        return web.Response(status=304, headers=headers)
    if accepts_gzip(request):
        headers[hdrs.CONTENT_ENCODING] = "gzip"
        return web.Response(body=bundle["gzip"], content_type="text/css", charset="utf-8", headers=headers)
    return web.Response(body=bundle["plain"], content_type="text/css", charset="utf-8", headers=headers)


async def widget_module(request: web.Request) -> web.StreamResponse:
    """``/assets/js/<version>/<name>``: one of the widget's ES modules, as read at start-up (only the names of
    the files in static/js/: nothing else, no path), cached a year when ``<version>`` is the folder's current
    one, else revalidated; compressed by caching_and_compression."""
    content = _modules(request.app)["files"].get(request.match_info["name"])
    if content is None:
        raise web.HTTPNotFound()
    etag = assets.version(content)
    headers = {
        hdrs.CACHE_CONTROL: assets.LONG_CACHE if long_cached(request) else assets.REVALIDATE,
        hdrs.ETAG: f'"{etag}"',
    }
    if any(tag.value in (etag, "*") for tag in request.if_none_match or ()):
        return web.Response(status=304, headers=headers)
    return web.Response(body=content, content_type="text/javascript", charset="utf-8", headers=headers)


def assembled_page(app: web.Application, name: str) -> str | None:
    """The page ``name`` as served (render_page, then versioned URLs), assembled once per process."""
    pages = app[PAGES]
    if name not in pages:
        page = render_page(app[SETTINGS].static_dir, name)
        pages[name] = versioned(app, page) if page is not None else None
    return pages[name]


async def _prepare_assets(app: web.Application) -> None:
    """Assemble the pages and the DSFR stylesheet at start-up, so that the first visitor does not wait."""
    for name in PAGE_FILES:
        assembled_page(app, name)


def _page(name: str) -> Any:
    async def handler(request: web.Request) -> web.StreamResponse:
        page = assembled_page(request.app, name)
        if page is None:
            return error(503, UNAVAILABLE)
        return web.Response(text=page, content_type="text/html")

    return handler


index = _page("index.html")  # the citizen page
advisor_page = _page("accompagnement.html")  # the France Services advisors' page
PAGE_PATHS = ("/", "/accompagnement")
PAGE_FILES = ("index.html", "accompagnement.html")


async def _client_context(app: web.Application) -> Any:
    app[CLIENT] = aiohttp.ClientSession()
    yield
    await app[CLIENT].close()


def create_app(
    settings: Settings | None = None, clock: Callable[[], float] = time.monotonic, feedback_db_url: str | None = None
) -> web.Application:
    """Build the web application (static page, /api/chat proxy, /api/feedback, /health); ``clock`` drives the
    rate limits; ``feedback_db_url``: where feedback goes (default $MES_FEEDBACK_DB_URL or var/feedback.db)."""
    settings = settings or Settings.from_env()
    app = web.Application(
        middlewares=[security_headers, refuse_encoded_bodies, caching_and_compression],
        client_max_size=settings.max_body_bytes,
        handler_args={"auto_decompress": False},  # a compressed body is refused, never inflated
    )
    app.on_response_prepare.append(hide_server)
    app[SETTINGS] = settings
    app[COOKIES] = ConversationCookies(signing_key(settings.session_key))
    app[LIMITS] = FairLimiter(
        conversations=RateLimiter(settings.rate_capacity, settings.rate_per_second, clock, settings.rate_max_keys),
        addresses=RateLimiter(
            settings.address_rate_capacity, settings.address_rate_per_second, clock, settings.rate_max_keys
        ),
    )
    app[FEEDBACK_LIMITS] = FairLimiter(
        conversations=RateLimiter(*FEEDBACK_RATE, clock, settings.rate_max_keys),
        addresses=RateLimiter(*FEEDBACK_ADDRESS_RATE, clock, settings.rate_max_keys),
    )
    app[FEEDBACK_DB] = feedback.db_url(feedback_db_url)
    app[PAGES] = {}
    app[VERSIONS] = {}
    app[BUNDLE] = {}
    app[MODULES] = {}
    app.cleanup_ctx.append(_client_context)
    app.on_startup.append(_prepare_assets)
    app.router.add_get("/", index)
    app.router.add_get("/accompagnement", advisor_page)
    app.router.add_post("/api/chat", chat)
    app.router.add_post("/api/feedback", give_feedback)
    app.router.add_get("/health", health)
    app.router.add_get(assets.CSS_URL, site_stylesheet)
    app.router.add_get(assets.MODULES_URL + "{version}/{name}", widget_module)
    for prefix, folder in static_folders(settings):
        if folder.is_dir():
            app.router.add_static(prefix, folder, follow_symlinks=False)
        else:
            log.error("folder %s missing (%s): run `make install`", folder, prefix)
    return app
