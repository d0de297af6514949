"""Refresh the France Services table from data.gouv.fr: download, validate everything, then swap atomically.

Nothing is written to the database unless the whole downloaded file is valid and plausible, and the swap
itself is one transaction (``store.load_rows``): on any failure the previous data stays in place.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import os
import shutil
import socket
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from yarl import URL

from bot.france_services.raw import read_table
from bot.france_services.schema import FranceServicesPoint
from bot.france_services.store import DataFileError, load_rows

SOURCE_ENV_VAR = "FRANCE_SERVICES_SOURCE_URL"
DEFAULT_SOURCE_URL = "https://www.data.gouv.fr/api/1/datasets/liste-des-structures-france-services/"
LAST_DOWNLOAD_NAME = "france_services_last_download.csv"
USER_AGENT = "assistant-mon-espace-sante/0.1 (mise à jour France services)"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 64 * 1024
MAX_REDIRECTS = 10
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class RefreshError(RuntimeError):
    """The refresh failed; the message is in French and the store was left untouched."""


@dataclass(frozen=True)
class Download:
    """A downloaded body, stored in ``path``."""

    url: str  # final URL, after redirects
    path: Path
    content_type: str
    size: int


@dataclass(frozen=True)
class RefreshResult:
    """What a successful refresh did."""

    url: str  # the CSV file actually loaded
    rows: int
    previous_rows: int
    size: int  # bytes downloaded
    seconds: float
    kinds: dict[str, int] = field(default_factory=dict)
    saved_to: Path | None = None


def source_url(url: str | None = None) -> str:
    """``url``, else $FRANCE_SERVICES_SOURCE_URL, else the data.gouv.fr dataset API URL."""
    return url or os.environ.get(SOURCE_ENV_VAR) or DEFAULT_SOURCE_URL


def _network_error(url: str, exc: aiohttp.ClientConnectorError) -> RefreshError:
    host = urlsplit(url).netloc or url
    if isinstance(exc, aiohttp.ClientSSLError):
        return RefreshError(f"connexion sécurisée à {host} refusée (certificat TLS invalide)")
    if isinstance(exc.os_error, socket.gaierror):
        return RefreshError(f"serveur {host} introuvable : réseau indisponible ou nom de domaine inconnu")
    if exc.os_error.errno == errno.ECONNREFUSED or isinstance(exc.os_error, ConnectionRefusedError):
        return RefreshError(f"serveur {host} injoignable : connexion refusée")
    return RefreshError(f"serveur {host} injoignable : vérifiez la connexion réseau")


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


async def _fetch(
    session: aiohttp.ClientSession, url: str, dest: Path, part: Path, timeout_s: float, max_bytes: int
) -> Download:
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/csv, application/json;q=0.9, */*;q=0.5"}
    async with _get_following_https(session, url, timeout, headers) as response:
        if response.status >= 400:
            raise RefreshError(f"le serveur a répondu « HTTP {response.status} {response.reason or ''} » pour {url}")
        content_type = response.content_type.lower()
        if content_type in _HTML_TYPES:
            raise RefreshError(
                f"page HTML reçue au lieu d'un fichier CSV depuis {url} (page d'erreur ou de maintenance ?)"
            )
        if response.content_length is not None and response.content_length > max_bytes:
            raise RefreshError(f"fichier trop gros : {response.content_length} octets annoncés (limite : {max_bytes})")
        size, head = 0, b""
        with open(part, "wb") as out:
            async for chunk in response.content.iter_chunked(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise RefreshError(f"fichier trop gros : plus de {max_bytes} octets reçus depuis {url}")
                if len(head) < 512:
                    head += chunk[: 512 - len(head)]
                out.write(chunk)
        if size == 0:
            raise RefreshError(f"réponse vide reçue depuis {url}")
        if _looks_like_html(head):
            raise RefreshError(
                f"page HTML reçue au lieu d'un fichier CSV depuis {url} (page d'erreur ou de maintenance ?)"
            )
        os.replace(part, dest)
        return Download(str(response.url), dest, content_type, size)


@contextlib.asynccontextmanager
async def _get_following_https(
    session: aiohttp.ClientSession, url: str, timeout: aiohttp.ClientTimeout, headers: dict[str, str]
) -> AsyncIterator[aiohttp.ClientResponse]:
    """GET ``url``, following redirects one by one: from an https address, never to a plain http one."""
    secure = URL(url).scheme == "https"
    for _ in range(MAX_REDIRECTS + 1):
        async with session.get(url, timeout=timeout, headers=headers, allow_redirects=False) as response:
            location = response.headers.get("Location") if response.status in _REDIRECTS else None
            if location is None:
                yield response
                return
            target = response.url.join(URL(location))
            if secure and target.scheme != "https":
                raise RefreshError(f"redirection refusée : {url} renvoie vers une adresse non chiffrée ({target})")
            url = str(target)
    raise aiohttp.TooManyRedirects(aiohttp.RequestInfo(URL(url), "GET", {}), ())  # type: ignore[arg-type]


async def download(
    url: str,
    dest: str | os.PathLike[str],
    *,
    timeout_s: float = 30,
    max_bytes: int = 20_000_000,
    session: aiohttp.ClientSession | None = None,
) -> Download:
    """Stream ``url`` to ``dest`` (via a temporary file next to it); raise RefreshError on any failure.

    Refuses HTTP errors, HTML pages, empty bodies and bodies over ``max_bytes``; ``timeout_s`` bounds
    the whole request, body included. ``dest`` is only written when the download is complete.
    """
    dest = Path(dest)
    part = dest.with_name(f".{dest.name}.part")
    own_session = session is None
    try:
        if session is None:
            session = aiohttp.ClientSession()
        return await asyncio.wait_for(_fetch(session, url, dest, part, timeout_s, max_bytes), timeout_s)
    except asyncio.TimeoutError:  # also aiohttp's ServerTimeoutError
        raise RefreshError(f"délai dépassé : {url} n'a pas été reçu en entier en {timeout_s:g} s") from None
    except aiohttp.ClientConnectorError as exc:
        raise _network_error(url, exc) from None
    except aiohttp.ClientPayloadError:
        raise RefreshError(f"téléchargement interrompu : fichier incomplet reçu depuis {url}") from None
    except aiohttp.InvalidURL:
        raise RefreshError(f"adresse invalide : « {url} »") from None
    except aiohttp.TooManyRedirects:
        raise RefreshError(f"trop de redirections depuis {url}") from None
    except aiohttp.ClientError as exc:
        raise RefreshError(f"erreur réseau en téléchargeant {url} ({exc.__class__.__name__})") from None
    except OSError as exc:
        raise RefreshError(f"impossible d'écrire le fichier téléchargé dans {dest.parent} ({exc.strerror})") from None
    finally:
        part.unlink(missing_ok=True)
        if own_session and session is not None:
            await session.close()


def _is_json(got: Download) -> bool:
    if got.content_type.endswith("json"):
        return True
    with open(got.path, "rb") as handle:
        return handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _modified(resource: Mapping[str, Any]) -> datetime:
    text = str(resource.get("last_modified") or resource.get("created_at") or "")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _format(resource: Mapping[str, Any]) -> str:
    return str(resource.get("format") or "").strip(". ").lower()


def pick_csv_resource(dataset: Any, base_url: str = "") -> str:
    """URL of the most recently modified CSV resource of a data.gouv.fr dataset (API JSON).

    Data files (resource type ``main``) are preferred over documentation; relative URLs are resolved
    against ``base_url``.
    """
    resources = dataset.get("resources") if isinstance(dataset, dict) else None
    if not isinstance(resources, list):
        raise RefreshError(
            "réponse JSON inattendue : ce n'est pas un jeu de données data.gouv.fr (pas de « resources »)"
        )
    csvs = [r for r in resources if isinstance(r, dict) and r.get("url") and _format(r) == "csv"]
    if not csvs:
        title = dataset.get("title") or dataset.get("slug") or "?"
        raise RefreshError(f"le jeu de données « {title} » ne contient aucune ressource au format CSV")
    data_files = [r for r in csvs if r.get("type") in (None, "main")]
    best = max(data_files or csvs, key=_modified)
    return urljoin(base_url, str(best["url"]))


def current_count(engine: Engine) -> int:
    """Number of points in the store (0 if the table does not exist yet)."""
    # An engine may map the default schema elsewhere (schema_translate_map); look there.
    schema = (engine.get_execution_options().get("schema_translate_map") or {}).get(None)
    if not inspect(engine).has_table(FranceServicesPoint.__table__.name, schema=schema):
        return 0
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(FranceServicesPoint)).scalar_one())


def _keep(source: Path, keep_dir: Path) -> Path | None:
    """Copy the good file to ``keep_dir`` atomically; a failure here does not undo the refresh."""
    try:
        keep_dir.mkdir(parents=True, exist_ok=True)
        target = keep_dir / LAST_DOWNLOAD_NAME
        part = keep_dir / f".{LAST_DOWNLOAD_NAME}.part"
        shutil.copyfile(source, part)
        os.replace(part, target)
        return target
    except OSError:
        return None


async def refresh(
    engine: Engine,
    url: str | None = None,
    *,
    min_rows: int = 1000,
    min_ratio: float = 0.5,
    timeout_s: float = 30,
    max_bytes: int = 20_000_000,
    session: aiohttp.ClientSession | None = None,
    keep_dir: str | os.PathLike[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> RefreshResult:
    """Download the France Services list from ``url`` (see ``source_url``) and swap it into the store.

    ``url`` may be a data.gouv.fr dataset API URL (its newest CSV resource is then downloaded) or a CSV
    file in the official format. The whole file is validated, must hold at least
    ``min_rows`` points and at least ``min_ratio`` times the current count (a truncated file is refused),
    and is then loaded in one transaction. ``timeout_s`` applies to each download. Raises RefreshError,
    leaving the store untouched; on success the file is copied to ``keep_dir`` if given.
    """
    url = source_url(url)
    started = time.perf_counter()
    options: dict[str, Any] = {"timeout_s": timeout_s, "max_bytes": max_bytes, "session": session}
    with tempfile.TemporaryDirectory(prefix="france_services_") as tmp:
        got = await download(url, Path(tmp) / "source", **options)
        if _is_json(got):
            try:
                dataset = json.loads(got.path.read_bytes())
            except (ValueError, UnicodeDecodeError):
                raise RefreshError(f"réponse JSON illisible reçue depuis {url}") from None
            resource = pick_csv_resource(dataset, got.url)
            if URL(got.url).scheme == "https" and URL(resource).scheme != "https":
                raise RefreshError(f"ressource refusée : {resource} n'est pas une adresse chiffrée (https)")
            got = await download(resource, Path(tmp) / "source.csv", **options)
            if _is_json(got):
                raise RefreshError(f"la ressource {got.url} n'est pas un fichier CSV (JSON reçu)")
        try:
            rows = await asyncio.to_thread(read_table, got.path)
        except DataFileError as exc:
            raise RefreshError(f"fichier refusé ({got.url}) : {exc}") from None
        try:
            previous = current_count(engine)
        except SQLAlchemyError as exc:
            raise RefreshError(f"base de données inaccessible ({exc.__class__.__name__})") from None
        if len(rows) < min_rows:
            raise RefreshError(
                f"fichier refusé : {len(rows)} points seulement, au moins {min_rows} attendus (fichier tronqué ?)"
            )
        if len(rows) < previous * min_ratio:
            raise RefreshError(
                f"fichier refusé : {len(rows)} points contre {previous} actuellement, "
                f"soit moins de {min_ratio * 100:g} % (fichier tronqué ?)"
            )
        try:
            load_rows(engine, rows, progress)
        except SQLAlchemyError as exc:
            raise RefreshError(f"échec de l'écriture en base, annulée ({exc.__class__.__name__})") from None
        saved = _keep(got.path, Path(keep_dir)) if keep_dir is not None else None
    return RefreshResult(
        url=got.url,
        rows=len(rows),
        previous_rows=previous,
        size=got.size,
        seconds=time.perf_counter() - started,
        kinds=dict(Counter(row["kind"] for row in rows)),
        saved_to=saved,
    )
