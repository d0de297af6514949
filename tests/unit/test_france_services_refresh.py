"""Refresh from data.gouv.fr, offline: a local aiohttp server plays data.gouv and its failure modes."""

from __future__ import annotations

import asyncio
import csv
import io
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import select

from bot.france_services.raw import read_table
from bot.france_services.refresh import (
    DEFAULT_SOURCE_URL,
    LAST_DOWNLOAD_NAME,
    RefreshError,
    RefreshResult,
    current_count,
    download,
    pick_csv_resource,
    refresh,
    source_url,
)
from bot.france_services.schema import FranceServicesPoint
from bot.france_services.store import engine_from_url, load_rows
from tests.http_stub import Handler, body, serve

ROOT = Path(__file__).resolve().parents[2]
RAW = (ROOT / "data" / "france_services" / "france_services_anct_20240801_raw.csv").read_bytes()
SAMPLE = ROOT / "tests" / "fixtures" / "france_services_raw_sample.csv"
KINDS = {"fixed": 2397, "multisite": 161, "bus": 134, "antenna": 124, "itinerant": 29}


def head(records: int) -> bytes:
    """The header and the first ``records`` records of the official file, byte for byte (a record may span lines)."""
    reader = csv.reader(io.StringIO(RAW.decode(), newline=""))
    for _ in range(records + 1):
        next(reader)
    return b"\n".join(RAW.split(b"\n")[: reader.line_num]) + b"\n"


def run_refresh(engine: Any, routes: dict[str, Handler], path: str, **kwargs: Any) -> RefreshResult:
    async def go() -> RefreshResult:
        async with serve(routes) as base:
            return await refresh(engine, base + path, **kwargs)

    return asyncio.run(go())


def snapshot(engine: Any) -> tuple[int, dict[str, Any]]:
    """Row count and the full row of point "1": what must survive a failed refresh."""
    with engine.connect() as conn:
        row = conn.execute(select(FranceServicesPoint.__table__).where(FranceServicesPoint.id == "1")).one()
    return current_count(engine), dict(row._mapping)


@pytest.fixture()
def engine(tmp_path):
    """A store holding the 198 points of the sample (not the shipped file, so a success is visible)."""
    engine = engine_from_url(f"sqlite:///{tmp_path / 'fs.db'}")
    load_rows(engine, read_table(SAMPLE))
    yield engine
    engine.dispose()


def assert_refused(
    engine: Any, tmp_path: Path, routes: dict[str, Handler], path: str, *messages: str, **kwargs: Any
) -> str:
    """The refresh fails with a French message containing ``messages``; the store is untouched."""
    before = snapshot(engine)
    with pytest.raises(RefreshError) as caught:
        run_refresh(engine, routes, path, keep_dir=tmp_path / "keep", **kwargs)
    text = str(caught.value)
    for message in messages:
        assert message in text
    assert snapshot(engine) == before
    assert before[0] == 198
    assert not (tmp_path / "keep").exists()
    return text


def test_refresh_from_csv_replaces_the_rows(engine, tmp_path):
    result = run_refresh(engine, {"/fs.csv": body(RAW)}, "/fs.csv", keep_dir=tmp_path / "keep")
    assert (result.rows, result.previous_rows, result.size) == (2845, 198, len(RAW))
    assert result.kinds == KINDS
    assert current_count(engine) == 2845
    assert result.saved_to == tmp_path / "keep" / LAST_DOWNLOAD_NAME
    assert result.saved_to.read_bytes() == RAW
    assert result.seconds < 10


def test_refresh_from_dataset_json_takes_the_newest_csv_resource(engine):
    async def dataset(request: web.Request) -> web.Response:
        base = f"http://{request.host}"
        resources = [
            {"format": "csv", "type": "main", "url": f"{base}/old.csv", "last_modified": "2024-01-01T00:00:00"},
            {"format": "csv", "type": "main", "url": f"{base}/new.csv", "last_modified": "2024-08-01T09:00:00+00:00"},
            {"format": "csv", "type": "documentation", "url": f"{base}/doc.csv", "last_modified": "2025-01-01"},
            {"format": "json", "type": "main", "url": f"{base}/new.json", "last_modified": "2025-01-01"},
        ]
        return web.json_response({"title": "Liste des structures France services", "resources": resources})

    routes = {"/api/1/datasets/fs/": dataset, "/new.csv": body(RAW, "application/octet-stream")}
    result = run_refresh(engine, routes, "/api/1/datasets/fs/")
    assert result.url.endswith("/new.csv")
    assert (result.rows, result.kinds) == (2845, KINDS)
    assert snapshot(engine)[1]["full_address"] == "5-9 Rue des Papetiers, 01200 Valserhône"


def test_pick_csv_resource():
    dataset = {"resources": [{"format": "CSV", "url": "/files/a.csv", "created_at": "2024-01-01"}]}
    assert pick_csv_resource(dataset, "https://example.org/api/1/datasets/x/") == "https://example.org/files/a.csv"
    with pytest.raises(RefreshError, match="« Vide » ne contient aucune ressource au format CSV"):
        pick_csv_resource({"title": "Vide", "resources": [{"format": "pdf", "url": "x.pdf"}]})
    with pytest.raises(RefreshError, match=r"ce n'est pas un jeu de données data\.gouv\.fr"):
        pick_csv_resource({"message": "Not found"})


def test_source_url(monkeypatch):
    monkeypatch.delenv("FRANCE_SERVICES_SOURCE_URL", raising=False)
    assert source_url() == DEFAULT_SOURCE_URL
    monkeypatch.setenv("FRANCE_SERVICES_SOURCE_URL", "http://mirror/fs.csv")
    assert source_url() == "http://mirror/fs.csv"
    assert source_url("http://other/fs.csv") == "http://other/fs.csv"


def test_timeout(engine, tmp_path):
    async def hang(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.Response(body=RAW, content_type="text/csv")

    started = time.perf_counter()
    assert_refused(engine, tmp_path, {"/fs.csv": hang}, "/fs.csv", "délai dépassé", "en 0.5 s", timeout_s=0.5)
    assert time.perf_counter() - started < 3


def test_timeout_while_the_body_trickles(engine, tmp_path):
    async def trickle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/csv"})
        await response.prepare(request)
        await response.write(RAW[:1000])
        await asyncio.sleep(5)
        return response

    assert_refused(engine, tmp_path, {"/fs.csv": trickle}, "/fs.csv", "délai dépassé", timeout_s=0.5)


def test_http_error(engine, tmp_path):
    routes = {"/fs.csv": body(b"oops", "text/plain", status=500)}
    assert_refused(engine, tmp_path, routes, "/fs.csv", "le serveur a répondu « HTTP 500 Internal Server Error »")
    assert_refused(engine, tmp_path, {}, "/absent.csv", "HTTP 404")


def test_html_page_with_status_200(engine, tmp_path):
    page = b"<!DOCTYPE html><html><body>Maintenance en cours</body></html>"
    assert_refused(engine, tmp_path, {"/fs.csv": body(page, "text/html")}, "/fs.csv", "page HTML reçue au lieu")
    # Same page announced as CSV: recognised from its content.
    assert_refused(engine, tmp_path, {"/fs.csv": body(page, "text/csv")}, "/fs.csv", "page HTML reçue au lieu")


def test_missing_column(engine, tmp_path):
    lines = RAW.decode().splitlines(keepends=True)
    renamed = [lines[0].replace(',"latitude",', ',"lat",'), *lines[1:]]
    routes = {"/fs.csv": body("".join(renamed).encode())}
    assert_refused(engine, tmp_path, routes, "/fs.csv", "fichier refusé", "ligne 1, colonne latitude: colonne absente")


def test_malformed_row(engine, tmp_path):
    lines = RAW.decode().splitlines(keepends=True)
    assert ',"Principal","Fixe",' in lines[10]
    lines[10] = lines[10].replace(',"Principal","Fixe",', ',"Principal","Drone",', 1)
    routes = {"/fs.csv": body("".join(lines).encode())}
    assert_refused(engine, tmp_path, routes, "/fs.csv", "ligne 11, colonne format_fs: format « Drone » inconnu")


def test_truncated_file(engine, tmp_path):
    routes = {"/fs.csv": body(head(300))}
    assert_refused(
        engine, tmp_path, routes, "/fs.csv", "300 points seulement, au moins 1000 attendus (fichier tronqué ?)"
    )
    # Cut in the middle of a row: the last row is incomplete.
    half = RAW[: len(RAW) // 2]
    last_line = half.count(b"\n") + 1
    assert not half.endswith(b"\n")
    routes = {"/fs.csv": body(half)}
    assert_refused(engine, tmp_path, routes, "/fs.csv", "fichier refusé", f"ligne {last_line}, colonne")


def test_much_smaller_than_the_current_table(engine, tmp_path):
    run_refresh(engine, {"/fs.csv": body(RAW)}, "/fs.csv")
    before = snapshot(engine)
    with pytest.raises(RefreshError, match=r"1200 points contre 2845 actuellement, soit moins de 50 %"):
        run_refresh(engine, {"/fs.csv": body(head(1200))}, "/fs.csv")
    assert snapshot(engine) == before


def test_oversize_body(engine, tmp_path):
    routes = {"/fs.csv": body(RAW)}
    assert_refused(engine, tmp_path, routes, "/fs.csv", "fichier trop gros", "octets annoncés", max_bytes=100_000)

    async def chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/csv"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(RAW), 50_000):
            await response.write(RAW[start : start + 50_000])
        return response

    routes = {"/fs.csv": chunked}
    assert_refused(engine, tmp_path, routes, "/fs.csv", "fichier trop gros : plus de 100000 octets", max_bytes=100_000)


def test_connection_refused(engine, tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    before = snapshot(engine)
    with pytest.raises(RefreshError, match=f"serveur 127.0.0.1:{port} injoignable : connexion refusée"):
        asyncio.run(refresh(engine, f"http://127.0.0.1:{port}/fs.csv", timeout_s=2))
    assert snapshot(engine) == before


def test_dataset_without_csv_and_empty_body(engine, tmp_path):
    dataset = b'{"title": "Liste des structures France services", "resources": []}'
    routes = {"/ds/": body(dataset, "application/json")}
    assert_refused(engine, tmp_path, routes, "/ds/", "ne contient aucune ressource au format CSV")
    assert_refused(engine, tmp_path, {"/fs.csv": body(b"")}, "/fs.csv", "réponse vide")


def test_download_writes_dest_only_on_success(tmp_path):
    dest = tmp_path / "fs.csv"

    async def go(path: str) -> None:
        routes = {"/ok.csv": body(RAW), "/ko.csv": body(b"", status=503)}
        async with serve(routes) as base:
            got = await download(base + path, dest, timeout_s=5)
            assert (got.size, got.content_type, got.path) == (len(RAW), "text/csv", dest)

    with pytest.raises(RefreshError, match="HTTP 503"):
        asyncio.run(go("/ko.csv"))
    assert list(tmp_path.iterdir()) == []
    asyncio.run(go("/ok.csv"))
    assert dest.read_bytes() == RAW
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fs.csv"]


@pytest.fixture
def tls_context(tmp_path) -> Any:
    """A server TLS context with a self-signed certificate for 127.0.0.1 (made by openssl)."""
    import ssl
    import subprocess

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def test_https_is_kept_after_redirects(tmp_path, tls_context):
    """From an https address, a redirect to plain http is refused; https to https is followed."""
    import aiohttp

    async def go() -> None:
        plain_app = web.Application()
        plain_app.router.add_get("/fs.csv", body(RAW))
        plain = web.AppRunner(plain_app)
        await plain.setup()
        await web.TCPSite(plain, "127.0.0.1", 0).start()
        plain_port = plain.addresses[0][1]

        async def to_plain(request: web.Request) -> web.Response:
            raise web.HTTPFound(f"http://127.0.0.1:{plain_port}/fs.csv")

        async def to_secure(request: web.Request) -> web.Response:
            raise web.HTTPFound("/fs.csv")

        secure_app = web.Application()
        secure_app.router.add_get("/to-plain", to_plain)
        secure_app.router.add_get("/to-secure", to_secure)
        secure_app.router.add_get("/fs.csv", body(RAW))
        secure = web.AppRunner(secure_app)
        await secure.setup()
        await web.TCPSite(secure, "127.0.0.1", 0, ssl_context=tls_context).start()
        base = f"https://127.0.0.1:{secure.addresses[0][1]}"
        try:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False)) as session:
                with pytest.raises(RefreshError, match="non chiffrée"):
                    await download(base + "/to-plain", tmp_path / "a.csv", session=session, timeout_s=5)
                got = await download(base + "/to-secure", tmp_path / "b.csv", session=session, timeout_s=5)
                assert got.url == base + "/fs.csv" and got.size == len(RAW)
        finally:
            await secure.cleanup()
            await plain.cleanup()

    asyncio.run(go())
    assert not (tmp_path / "a.csv").exists()


def test_too_many_redirects(engine, tmp_path):
    async def loop(request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop")

    assert_refused(engine, tmp_path, {"/loop": loop}, "/loop", "trop de redirections")
