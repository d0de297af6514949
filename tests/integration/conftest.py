"""Integration tests use the local PostgreSQL and Redis: skipped when unreachable, failures when CI=true."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import sqlalchemy as sa

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def unavailable(reason: str) -> None:
    """Skip locally, fail under CI=true: a required service must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@contextlib.contextmanager
def pg_admin(url: str = PG_ADMIN) -> Iterator[sa.engine.Engine]:
    """An autocommit engine on the local PostgreSQL, disposed afterwards (unreachable: see ``unavailable``)."""
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", future=True)
    try:
        admin.connect().close()
    except sa.exc.OperationalError as error:
        admin.dispose()
        unavailable(f"PostgreSQL unreachable: {error.orig}")
    try:
        yield admin
    finally:
        admin.dispose()


@contextlib.contextmanager
def fresh_pg_database(prefix: str) -> Iterator[str]:
    """A new PostgreSQL database on the local server, dropped afterwards; yields its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with pg_admin() as admin:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            yield f"postgresql://postgres@127.0.0.1:5432/{name}"
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> Iterator[str]:
    """An empty conversation database: a SQLite file, then a fresh database on the local PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'trackers.db'}"
        return
    with fresh_pg_database("mes_store") as url:
        yield url


@contextlib.asynccontextmanager
async def serving_file(payload: bytes, content_type: str = "text/csv") -> AsyncIterator[str]:
    """A local HTTP server answering ``payload`` at /fs.csv (a stand-in for data.gouv.fr); yields its URL."""
    from tests.http_stub import body, serve

    async with serve({"/fs.csv": body(payload, content_type)}) as base:
        yield f"{base}/fs.csv"
