"""``python -m tools data load|refresh|status``: fill, update and inspect the France Services table."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from tqdm import tqdm

from bot.france_services.raw import SHIPPED_FILE, read_table
from bot.france_services.schema import FranceServicesPoint
from bot.france_services.store import DataFileError, engine_from_url, load_rows

DEFAULT_FILE = SHIPPED_FILE
KEPT = "Les données précédentes sont conservées."
KIND_LABELS = {
    "fixed": "fixes",
    "multisite": "multisites",
    "bus": "bus",
    "antenna": "antennes",
    "itinerant": "itinérants",
}
_PASSWORD_RE = re.compile(r"(?<=://)([^:/@\s]*):[^@/\s]+@")


class CommandError(Exception):
    """A user-facing failure: printed as « Erreur : … » without a traceback."""


def mask_password(text: str) -> str:
    """Replace the password of any ``scheme://user:password@host`` URL in ``text`` by ``***``."""
    return _PASSWORD_RE.sub(r"\1:***@", text)


def add_parser(commands: Any) -> None:
    """Add the ``data`` command and its sub-commands to the ``python -m tools`` sub-parsers."""
    data = commands.add_parser("data", help="données France services : chargement, mise à jour, état")
    sub = data.add_subparsers(dest="data_command", required=True, metavar="{load,refresh,status}")
    db_help = "base de données (défaut : $FRANCE_SERVICES_DB_URL, sinon sqlite:///var/france_services.db)"

    load = sub.add_parser("load", help="charger un fichier CSV (format officiel ANCT, data.gouv.fr)")
    load.add_argument("--file", type=Path, default=DEFAULT_FILE, help="fichier CSV (défaut : le fichier livré)")
    load.add_argument("--db-url", help=db_help)
    load.add_argument("--quiet", action="store_true", help="sans barre de progression")

    refresh = sub.add_parser("refresh", help="télécharger la liste à jour depuis data.gouv.fr et la charger")
    refresh.add_argument(
        "--url", help="jeu de données data.gouv.fr (API) ou fichier CSV (défaut : $FRANCE_SERVICES_SOURCE_URL)"
    )
    refresh.add_argument("--db-url", help=db_help)
    refresh.add_argument("--timeout", type=float, default=30.0, help="délai maximal par téléchargement, en s")
    refresh.add_argument("--min-rows", type=int, default=1000, help="nombre minimal de points attendus")
    refresh.add_argument(
        "--keep-dir", type=Path, default=Path("var"), help="où garder le dernier fichier valide (défaut : var)"
    )
    refresh.add_argument("--quiet", action="store_true", help="sans message de progression")

    status = sub.add_parser("status", help="nombre de points chargés, par type")
    status.add_argument("--db-url", help=db_help)


def _engine(url: str | None) -> Engine:
    try:
        return engine_from_url(url)
    except (SQLAlchemyError, ImportError) as exc:
        raise CommandError(f"adresse de base de données inutilisable ({exc.__class__.__name__}: {exc})") from None


def _db_name(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _db_error(engine: Engine, exc: Exception) -> CommandError:
    detail = " ".join(str(getattr(exc, "orig", None) or exc.__class__.__name__).split())
    return CommandError(f"base de données {_db_name(engine)} inaccessible ({detail})")


def _load(args: argparse.Namespace) -> str:
    started = time.perf_counter()
    try:
        rows = read_table(args.file)
    except DataFileError as exc:
        raise CommandError(f"fichier {args.file} refusé : {exc}") from None
    except OSError as exc:
        raise CommandError(f"fichier {args.file} illisible ({exc.strerror or exc})") from None
    engine = _engine(args.db_url)
    try:
        with tqdm(total=len(rows), desc="Chargement", unit=" points", file=sys.stderr, disable=args.quiet) as bar:
            count = load_rows(engine, rows, bar.update)
    except SQLAlchemyError as exc:
        raise _db_error(engine, exc) from None
    finally:
        engine.dispose()
    return f"{count} points France services chargés dans {_db_name(engine)} en {time.perf_counter() - started:.1f} s"


def _refresh(args: argparse.Namespace) -> str:
    # aiohttp is imported only for this command.
    from bot.france_services.refresh import RefreshError, refresh, source_url

    engine = _engine(args.db_url)
    url = source_url(args.url)
    if not args.quiet:
        print(f"Téléchargement de {mask_password(url)}…", file=sys.stderr)
    try:
        result = asyncio.run(
            refresh(engine, url, min_rows=args.min_rows, timeout_s=args.timeout, keep_dir=args.keep_dir)
        )
    except RefreshError as exc:
        raise CommandError(str(exc)) from None
    finally:
        engine.dispose()
    return (
        f"{result.rows} points France services chargés dans {_db_name(engine)} en {result.seconds:.1f} s "
        f"(avant : {result.previous_rows}) depuis {result.url}"
    )


def _status(args: argparse.Namespace) -> str:
    from bot.france_services.refresh import current_count

    engine = _engine(args.db_url)
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if database and database != ":memory:" and not Path(database).exists():  # do not create an empty file
        raise CommandError(f"base de données {_db_name(engine)} introuvable : lancez « python -m tools data load »")
    try:
        total = current_count(engine)
        if not total:
            raise CommandError(
                f"aucun point France services dans {_db_name(engine)} : lancez « python -m tools data load »"
            )
        column = FranceServicesPoint.__table__.c.kind
        with engine.connect() as conn:
            kinds = dict(conn.execute(select(column, func.count()).group_by(column)).all())
    except SQLAlchemyError as exc:
        raise _db_error(engine, exc) from None
    finally:
        engine.dispose()
    lines = [f"{total} points France services dans {_db_name(engine)}"]
    for kind, count in sorted(kinds.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"  {KIND_LABELS.get(kind, kind)} : {count}")
    return "\n".join(lines)


COMMANDS: dict[str, Callable[[argparse.Namespace], str]] = {"load": _load, "refresh": _refresh, "status": _status}


def run(args: argparse.Namespace) -> int:
    """Run ``python -m tools data <command>``; return the exit code (errors go to stderr, in French)."""
    try:
        print(mask_password(COMMANDS[args.data_command](args)))
    except CommandError as exc:
        print(mask_password(f"Erreur : {exc}"), file=sys.stderr)
        if args.data_command != "status":
            print(KEPT, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"Interrompu. {KEPT}", file=sys.stderr)
        return 130
    return 0
