"""``python -m tools data load|refresh|status``: exit codes and messages."""

from __future__ import annotations

import functools
import re
import socket
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.france_services.cli import mask_password
from bot.france_services.refresh import current_count
from bot.france_services.store import engine_from_url
from tools.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "france_services" / "france_services_anct_20240801_raw.csv"
SAMPLE = ROOT / "tests" / "fixtures" / "france_services_raw_sample.csv"
KEPT = "Les données précédentes sont conservées."


@pytest.fixture()
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'fs.db'}"


def count(url: str) -> int:
    engine = engine_from_url(url)
    try:
        return current_count(engine)
    finally:
        engine.dispose()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def http_dir(tmp_path) -> Iterator[tuple[str, Path]]:
    """A static HTTP server in a thread (the CLI runs its own event loop); yields (base URL, served folder)."""
    folder = tmp_path / "www"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder
    server.shutdown()
    server.server_close()


def test_load_shipped_file_twice_is_idempotent(db, capsys):
    assert main(["data", "load", "--db-url", db]) == 0
    out, err = capsys.readouterr()
    assert re.fullmatch(rf"2845 points France services chargés dans {re.escape(db)} en \d+\.\d s\n", out)
    assert "2845/2845" in err  # progress bar on stderr
    assert main(["data", "load", "--db-url", db, "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("2845 points France services chargés") and err == ""
    assert count(db) == 2845


def table(url: str) -> list[tuple[object, ...]]:
    engine = engine_from_url(url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.exec_driver_sql("SELECT * FROM france_services ORDER BY id")]
    engine.dispose()
    return rows


def test_load_a_copy_of_the_official_file_gives_the_same_table(db, capsys, tmp_path):
    assert main(["data", "load", "--db-url", db, "--quiet"]) == 0  # the shipped file by default
    assert capsys.readouterr().out.startswith("2845 points")
    copy = tmp_path / "liste-fs.csv"
    copy.write_bytes(RAW.read_bytes())
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert main(["data", "load", "--file", str(copy), "--db-url", other, "--quiet"]) == 0
    assert table(db) == table(other)
    assert len(table(db)) == 2845


def test_status(db, capsys, tmp_path):
    assert main(["data", "status", "--db-url", db]) == 1
    assert "lancez « python -m tools data load »" in capsys.readouterr().err
    assert not (tmp_path / "fs.db").exists()  # status does not create the database
    main(["data", "load", "--db-url", db, "--quiet"])
    capsys.readouterr()
    assert main(["data", "status", "--db-url", db]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"2845 points France services dans {db}"
    assert "  fixes : 2397" in out and "  itinérants : 29" in out


def test_malformed_file_names_line_and_column(db, capsys, tmp_path):
    main(["data", "load", "--db-url", db, "--quiet"])
    capsys.readouterr()
    lines = RAW.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[9] = lines[9].replace(',"Principal","Fixe",', ',"Principal","Vaisseau",', 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    assert main(["data", "load", "--file", str(bad), "--db-url", db]) == 1
    out, err = capsys.readouterr()
    assert "ligne 10, colonne format_fs: format « Vaisseau » inconnu" in err
    assert KEPT in err and "Traceback" not in out + err and out == ""
    assert count(db) == 2845


def test_missing_file(db, capsys, tmp_path):
    assert main(["data", "load", "--file", str(tmp_path / "absent.csv"), "--db-url", db]) == 1
    err = capsys.readouterr().err
    assert "absent.csv illisible" in err and "Traceback" not in err


def test_password_is_never_printed(capsys):
    with socket.socket() as sock:  # a port where nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql://fs:s3cret@127.0.0.1:{port}/fs"
    assert main(["data", "load", "--db-url", url, "--quiet"]) == 1
    out, err = capsys.readouterr()
    assert "s3cret" not in out + err
    assert f"postgresql://fs:***@127.0.0.1:{port}/fs inaccessible" in err
    assert mask_password("a postgresql+psycopg2://u:p%40ss@h:5432/db b") == "a postgresql+psycopg2://u:***@h:5432/db b"
    assert mask_password("sqlite:///var/fs.db") == "sqlite:///var/fs.db"


def test_refresh_success(db, capsys, http_dir, tmp_path):
    base, folder = http_dir
    (folder / "fs.csv").write_bytes(RAW.read_bytes())
    main(["data", "load", "--file", str(SAMPLE), "--db-url", db, "--quiet"])
    capsys.readouterr()
    keep = tmp_path / "keep"
    assert main(["data", "refresh", "--url", f"{base}/fs.csv", "--db-url", db, "--keep-dir", str(keep)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"2845 points France services chargés dans {db} en ")
    assert f"(avant : 198) depuis {base}/fs.csv" in out
    assert f"Téléchargement de {base}/fs.csv" in err
    assert count(db) == 2845
    assert (keep / "france_services_last_download.csv").read_bytes() == RAW.read_bytes()


def test_refresh_failures_keep_the_data(db, capsys, http_dir, tmp_path):
    base, folder = http_dir
    (folder / "short.csv").write_bytes(b"".join(RAW.read_bytes().splitlines(keepends=True)[:100]))
    (folder / "page.html").write_bytes(b"<html><body>Erreur</body></html>")
    main(["data", "load", "--file", str(SAMPLE), "--db-url", db, "--quiet"])
    capsys.readouterr()
    cases = {
        f"{base}/short.csv": "99 points seulement, au moins 1000 attendus",
        f"{base}/page.html": "page HTML reçue au lieu d'un fichier CSV",
        f"{base}/absent.csv": "HTTP 404",
    }
    for url, message in cases.items():
        args = ["data", "refresh", "--url", url, "--db-url", db, "--quiet", "--keep-dir", str(tmp_path / "keep")]
        assert main(args) == 1
        out, err = capsys.readouterr()
        first, second = err.splitlines()
        assert first.startswith("Erreur : ") and message in first and second == KEPT
        assert "Traceback" not in err and out == ""
        assert count(db) == 198
    assert not (tmp_path / "keep").exists()


def test_refresh_network_unreachable(db, capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert main(["data", "refresh", "--url", f"http://127.0.0.1:{port}/fs.csv", "--db-url", db, "--timeout", "2"]) == 1
    err = capsys.readouterr().err
    assert f"Erreur : serveur 127.0.0.1:{port} injoignable : connexion refusée\n{KEPT}\n" in err


def test_fingerprint_command_still_works(capsys):
    assert main(["fingerprint"]) == 0
    assert re.fullmatch(r"[0-9a-f]{64}\n", capsys.readouterr().out)
