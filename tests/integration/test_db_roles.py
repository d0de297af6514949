"""Least-privilege database roles (deploy/postgres/roles.sql) on the local PostgreSQL.

A fresh database and three roles with a unique suffix, all dropped at the end. The project's own code
runs with each role: the redacting tracker store and the purge (tracker), ``python -m tools data load`` and
the refresh (writer), the France Services directory, ``data status`` and the web's health query (reader).
Skipped when PostgreSQL is unreachable, except when CI=true, where that is a failure.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
import sqlalchemy as sa
import yaml
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.france_services.directory import Directory
from bot.france_services.refresh import current_count, refresh
from bot.france_services.store import engine_from_url, load_csv, read_points
from rasa_ext.stores.tracker_store import RedactingSQLTrackerStore, purge
from tests.integration.conftest import PG_ADMIN, fresh_pg_database, serving_file, unavailable
from tools.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
ROLES_SQL = ROOT / "deploy" / "postgres" / "roles.sql"
COMPOSE = ROOT / "deploy" / "docker-compose.yml"
CSV = ROOT / "data" / "france_services" / "france_services_anct_20240801_raw.csv"
POINTS = 2845
EPINAL = (48.1724, 6.4496)
KINDS = ("tracker", "directory_writer", "directory_reader")
INSUFFICIENT_PRIVILEGE, UNDEFINED_TABLE, READ_ONLY_TRANSACTION = "42501", "42P01", "25006"


@dataclass(frozen=True)
class Cluster:
    """The three roles of this test run (unique names, cluster-wide) and their passwords."""

    roles: dict[str, str]
    passwords: dict[str, str]

    def options(self) -> str:
        """The settings read by roles.sql, as libpq options (PGOPTIONS)."""
        pairs = [(f"mes.{kind}_role", name) for kind, name in self.roles.items()]
        pairs += [(f"mes.{kind}_password", password) for kind, password in self.passwords.items()]
        return " ".join(f"-c {key}={value}" for key, value in pairs)

    def url(self, database_url: str, kind: str) -> str:
        """``database_url`` with the login of one role instead of the superuser's."""
        url = sa.engine.make_url(database_url).set(username=self.roles[kind], password=self.passwords[kind])
        return url.render_as_string(hide_password=False)


def apply_roles(database_url: str, options: str) -> list[str]:
    """Run roles.sql as the superuser, with the settings in libpq options; return the server's notices."""
    url = sa.engine.make_url(database_url)
    conn = psycopg2.connect(host=url.host, port=url.port, user=url.username, dbname=url.database, options=options)
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(ROLES_SQL.read_text(encoding="utf-8"))
        return list(conn.notices)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """Three roles with a unique suffix, dropped at the end (after the databases that use them)."""
    suffix = uuid.uuid4().hex[:8]
    yield Cluster(
        roles={kind: f"mes_{kind}_{suffix}" for kind in KINDS},
        passwords={kind: uuid.uuid4().hex for kind in KINDS},
    )
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as conn:
            for kind in KINDS:
                conn.execute(sa.text(f'DROP ROLE IF EXISTS "mes_{kind}_{suffix}"'))
    except sa.exc.OperationalError:
        pass  # the server was unreachable: nothing was created
    finally:
        admin.dispose()


@pytest.fixture(scope="module")
def database(cluster: Cluster) -> Iterator[str]:
    """A fresh database (superuser URL) where roles.sql has been applied."""
    with fresh_pg_database("mes_roles") as url:
        apply_roles(url, cluster.options())
        yield url


def fails(url: str, statement: str, read_write: bool = False) -> str:
    """The SQLSTATE of ``statement`` run by the URL's role (the test fails if it succeeds)."""
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as conn:
            if read_write:  # the reader's default is read-only: show that the grants refuse it too
                conn.execute(sa.text("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"))
                conn.commit()
            with pytest.raises(sa.exc.DBAPIError) as error:
                conn.execute(sa.text(statement))
            conn.rollback()
    finally:
        engine.dispose()
    return error.value.orig.pgcode


def conversation(sender: str, at: float) -> DialogueStateTracker:
    """A short conversation with personal data in it, every event at ``at``."""
    return DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_listen", timestamp=at),
        UserUttered("mon mail est marie.curie@example.org", {"name": "greet", "confidence": 0.9}, timestamp=at),
        SlotSet("fs_place", "Épinal", timestamp=at),
        BotUttered("Bonjour", timestamp=at),
    ])  # fmt: skip


def fill(database: str, cluster: Cluster) -> None:
    """Make sure both tables exist, each created by its own role (as in production)."""
    store = RedactingSQLTrackerStore(url=cluster.url(database, "tracker"))
    store.engine.dispose()
    writer = engine_from_url(cluster.url(database, "directory_writer"))
    try:
        if current_count(writer) == 0:
            load_csv(writer, CSV)
    finally:
        writer.dispose()


def owners(database: str) -> dict[str, str]:
    """Every relation of the assistant's schemas and of ``public``, with its owner."""
    engine = sa.create_engine(database, future=True)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT n.nspname || '.' || c.relname, pg_get_userbyid(c.relowner) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('tracker', 'directory', 'public')"
        )).all()  # fmt: skip
    engine.dispose()
    return dict(rows)


def test_roles_have_no_attribute_and_a_second_run_changes_nothing(database, cluster):
    before = owners(database)
    apply_roles(database, cluster.options())  # idempotent
    assert owners(database) == before
    engine = sa.create_engine(database, future=True)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolcanlogin, "
                "(SELECT count(*) FROM pg_auth_members WHERE member = r.oid) FROM pg_roles r "
                "WHERE rolname = ANY(:names)"
            ),
            {"names": list(cluster.roles.values())},
        ).all()
    engine.dispose()
    assert sorted(rows) == sorted((name, False, False, False, False, False, True, 0) for name in cluster.roles.values())


def test_a_missing_password_stops_the_script_before_anything_is_done(cluster):
    other = Cluster(roles={kind: f"{name}_x" for kind, name in cluster.roles.items()}, passwords={})
    with fresh_pg_database("mes_roles") as url:
        with pytest.raises(psycopg2.errors.RaiseException, match=r"mes\.tracker_password is missing"):
            apply_roles(url, other.options())
        engine = sa.create_engine(url, future=True)
        with engine.connect() as conn:
            found = conn.execute(
                sa.text("SELECT count(*) FROM pg_roles WHERE rolname = ANY(:names)"),
                {"names": list(other.roles.values())},
            ).scalar_one()
        engine.dispose()
    assert found == 0


def test_tracker_role_creates_its_table_saves_retrieves_and_purges(database, cluster):
    url = cluster.url(database, "tracker")
    store = RedactingSQLTrackerStore(url=url)  # creates `events` (table, sequence, index) at start-up
    sender, old = uuid.uuid4().hex, uuid.uuid4().hex
    asyncio.run(store.save(conversation(sender, time.time())))
    asyncio.run(store.save(conversation(old, time.time() - 40 * 86_400)))
    again = asyncio.run(store.retrieve(sender))
    assert again.latest_message.text == "mon mail est [adresse e-mail]"
    store.engine.dispose()
    assert purge(url, days=30) == 4
    assert asyncio.run(RedactingSQLTrackerStore(url=url).retrieve(old)) is None
    relations = owners(database)
    assert {name: relations[name] for name in relations if name.startswith("tracker.")} == dict.fromkeys(
        ["tracker.events", "tracker.events_id_seq", "tracker.events_pkey", "tracker.ix_events_sender_id"],
        cluster.roles["tracker"],
    )
    assert not [name for name in relations if name.startswith("public.")]


def test_writer_role_loads_with_the_data_command_and_refreshes(database, cluster, capsys):
    url = cluster.url(database, "directory_writer")
    assert main(["data", "load", "--db-url", url, "--quiet"]) == 0
    assert main(["data", "load", "--db-url", url, "--quiet"]) == 0  # a second load replaces the rows
    assert f"{POINTS} points France services chargés" in capsys.readouterr().out

    async def serve_and_refresh(engine: sa.engine.Engine) -> None:
        async with serving_file(CSV.read_bytes()) as source:
            result = await refresh(engine, source, keep_dir=None)
        assert (result.rows, result.previous_rows) == (POINTS, POINTS)

    engine = engine_from_url(url)
    try:
        asyncio.run(serve_and_refresh(engine))
    finally:
        engine.dispose()
    relations = owners(database)
    assert relations["directory.france_services"] == cluster.roles["directory_writer"]


def test_reader_role_runs_the_directory_and_the_health_query(database, cluster, capsys):
    fill(database, cluster)
    url = cluster.url(database, "directory_reader")
    engine = engine_from_url(url)
    try:
        lookup = Directory(engine, fallback_csv=None).nearest(*EPINAL)
        assert lookup.source == "database" and lookup.points[0].dep_code == "88"
        desk = Directory(engine, fallback_csv=None).desk(lookup.points[0].id)
        assert desk is not None and desk.id == lookup.points[0].id
        assert len(read_points(engine)) == POINTS
        with engine.connect() as conn:  # what bot/web's /health runs
            assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()
    assert main(["data", "status", "--db-url", url]) == 0
    assert f"{POINTS} points France services" in capsys.readouterr().out


OTHERS_FORBIDDEN = [
    "CREATE TABLE public.intruder (x int)",
    "CREATE SCHEMA intruder",
    "CREATE TEMPORARY TABLE intruder (x int)",
]


OTHER_SCHEMA = {  # what each role must not do in the other one's schema
    "tracker": [
        "SELECT count(*) FROM directory.france_services",
        "INSERT INTO directory.france_services (id) VALUES ('x')",
        "DELETE FROM directory.france_services",
        "DROP TABLE directory.france_services",
        "CREATE TABLE directory.intruder (x int)",
    ],
    "directory_writer": [
        "SELECT count(*) FROM tracker.events",
        "INSERT INTO tracker.events (sender_id, type_name) VALUES ('x', 'x')",
        "DELETE FROM tracker.events",
        "DROP TABLE tracker.events",
        "CREATE TABLE tracker.intruder (x int)",
    ],
}


@pytest.mark.parametrize(
    ("role", "statement"),
    [(role, statement) for role, own in OTHER_SCHEMA.items() for statement in (*own, *OTHERS_FORBIDDEN)],
)
def test_the_tracker_and_the_writer_cannot_touch_each_other(database, cluster, role, statement):
    fill(database, cluster)
    assert fails(cluster.url(database, role), statement) == INSUFFICIENT_PRIVILEGE


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO directory.france_services (id) VALUES ('x')",
        "UPDATE directory.france_services SET name = 'x'",
        "DELETE FROM directory.france_services",
        "TRUNCATE directory.france_services",
        "DROP TABLE directory.france_services",
        "ALTER TABLE directory.france_services ADD COLUMN x int",
        "CREATE TABLE directory.intruder (x int)",
        "SELECT count(*) FROM tracker.events",
        "DELETE FROM tracker.events",
        *OTHERS_FORBIDDEN,
    ],
)
def test_reader_role_only_reads_the_directory(database, cluster, statement):
    fill(database, cluster)
    url = cluster.url(database, "directory_reader")
    assert fails(url, statement, read_write=True) == INSUFFICIENT_PRIVILEGE
    if statement.split()[0] != "SELECT" and "directory." in statement:  # and its transactions are read-only
        assert fails(url, statement) == READ_ONLY_TRANSACTION


def test_unqualified_names_only_see_the_roles_own_schema(database, cluster):
    fill(database, cluster)
    assert fails(cluster.url(database, "tracker"), "SELECT count(*) FROM france_services") == UNDEFINED_TABLE
    assert fails(cluster.url(database, "directory_writer"), "SELECT count(*) FROM events") == UNDEFINED_TABLE
    assert fails(cluster.url(database, "directory_reader"), "SELECT count(*) FROM events") == UNDEFINED_TABLE


def test_the_single_user_layout_is_moved_with_its_data(cluster):
    with fresh_pg_database("mes_roles") as url:
        legacy = RedactingSQLTrackerStore(url=url)  # as before: everything in public, as the superuser
        sender = uuid.uuid4().hex
        asyncio.run(legacy.save(conversation(sender, time.time())))
        legacy.engine.dispose()
        engine = engine_from_url(url)
        load_csv(engine, CSV)
        engine.dispose()

        notices = apply_roles(url, cluster.options())
        assert any("public.events moved to schema tracker" in notice for notice in notices)

        relations = owners(url)
        assert not [name for name in relations if name.startswith("public.")]
        assert relations["tracker.events"] == cluster.roles["tracker"]
        assert relations["tracker.events_id_seq"] == cluster.roles["tracker"]
        assert relations["directory.france_services"] == cluster.roles["directory_writer"]
        store = RedactingSQLTrackerStore(url=cluster.url(url, "tracker"))
        tracker = asyncio.run(store.retrieve(sender))
        assert tracker.latest_message.text == "mon mail est [adresse e-mail]"
        asyncio.run(store.save(conversation(uuid.uuid4().hex, time.time())))  # the moved sequence still counts
        store.engine.dispose()
        reader = engine_from_url(cluster.url(url, "directory_reader"))
        assert len(read_points(reader)) == POINTS
        reader.dispose()
        assert main(["data", "load", "--db-url", cluster.url(url, "directory_writer"), "--quiet"]) == 0


# --- deploy/docker-compose.yml: who gets which role -------------------------------------------------------


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def interpolate(text: str, env: dict[str, str]) -> str:
    """Docker Compose's ``${VAR}``, ``${VAR:-default}`` and ``${VAR:?error}``, from ``env``."""

    def value(match: re.Match[str]) -> str:
        name, operator, rest = match.group(1), match.group(2), match.group(3) or ""
        if env.get(name):
            return env[name]
        assert operator != ":?", f"{name} is required: {rest}"
        return rest if operator == ":-" else ""

    return re.sub(r"\$\{(\w+)(:-|:\?)?([^}]*)\}", value, text)


def user_of(url: str) -> str:
    """The user variable of a database URL in the compose file: ``${MES_TRACKER_DB_USER:-mes_tracker}`` → its name."""
    match = re.match(r"postgresql://\$\{(\w+):-[^}]*\}:\$\{(\w+):\?[^}]*\}@", url)
    assert match, url
    return match.group(1)


def test_each_service_connects_with_its_own_role():
    services = compose()["services"]
    expected = {
        ("rasa", "MES_TRACKER_DB_URL"): "MES_TRACKER_DB_USER",
        ("purge", "MES_TRACKER_DB_URL"): "MES_TRACKER_DB_USER",
        ("data-load", "FRANCE_SERVICES_DB_URL"): "MES_DIRECTORY_WRITER_DB_USER",
        ("actions", "FRANCE_SERVICES_DB_URL"): "MES_DIRECTORY_READER_DB_USER",
        ("web", "FRANCE_SERVICES_DB_URL"): "MES_DIRECTORY_READER_DB_USER",
    }
    found = {
        (service, name): user_of(value)
        for service, spec in services.items()
        for name, value in (spec.get("environment") or {}).items()
        if isinstance(value, str) and value.startswith("postgresql://")
    }
    assert found == expected
    for service, spec in services.items():
        if service in ("postgres", "db-init"):
            continue
        text = yaml.safe_dump(spec)
        assert "POSTGRES_PASSWORD" not in text and "POSTGRES_USER" not in text, service
        if service in {s for s, _ in expected}:
            assert spec["depends_on"]["db-init"] == {"condition": "service_completed_successfully"}, service


def test_the_init_service_runs_roles_sql_as_compose_would(cluster):
    """deploy/docker-compose.yml's db-init command and PGOPTIONS, run with the local psql."""
    if shutil.which("psql") is None:
        pytest.skip("psql is not installed")
    spec = compose()["services"]["db-init"]
    assert "./postgres/roles.sql:/roles.sql:ro" in spec["volumes"]
    env = {
        "POSTGRES_PASSWORD": "unused-trust-auth",
        **{f"MES_{kind.upper()}_DB_USER": name for kind, name in cluster.roles.items()},
        **{f"MES_{kind.upper()}_DB_PASSWORD": password for kind, password in cluster.passwords.items()},
    }
    with fresh_pg_database("mes_roles") as url:
        parsed = sa.engine.make_url(url)
        environment = {name: interpolate(str(value), env) for name, value in spec["environment"].items()}
        environment.update(PGHOST=parsed.host, PGPORT=str(parsed.port), PGDATABASE=parsed.database, PGUSER="postgres")
        command = [ROLES_SQL.as_posix() if part == "/roles.sql" else part for part in spec["command"]]
        try:
            done = subprocess.run(
                command, env={**os.environ, **environment}, capture_output=True, text=True, timeout=60, check=False
            )
        except OSError as error:
            unavailable(f"psql unusable: {error}")
        assert done.returncode == 0, done.stderr
        fill(url, cluster)
        assert fails(cluster.url(url, "tracker"), "SELECT count(*) FROM directory.france_services") == (
            INSUFFICIENT_PRIVILEGE
        )
