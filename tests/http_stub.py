"""A local aiohttp server for tests that download (France Services refresh): a stand-in for data.gouv.fr."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@contextlib.asynccontextmanager
async def serve(routes: dict[str, Handler]) -> AsyncIterator[str]:
    """Serve ``routes`` on 127.0.0.1 (free port); yield the base URL."""
    app = web.Application()
    for path, handler in routes.items():
        app.router.add_get(path, handler)
    runner = web.AppRunner(app, shutdown_timeout=0.1, handler_cancellation=True)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


def body(data: bytes, content_type: str = "text/csv", status: int = 200) -> Handler:
    """A handler answering ``data``."""

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=data, status=status, content_type=content_type)

    return handler
