"""Start the web front: ``python -m bot.web [--host 0.0.0.0] [--port 8000]``."""

from __future__ import annotations

import argparse
import logging

from aiohttp import web

from bot.privacy import logs
from bot.web.app import create_app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.web", description="Site de l'assistant Mon espace santé")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logs.install()  # every log line (ours, aiohttp's) goes through the redaction
    # aiohttp's access log has no message text (POST bodies are never logged), only method, path and status.
    web.run_app(create_app(), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
