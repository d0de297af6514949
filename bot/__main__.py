"""Project commands: ``python -m bot <command>``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.fingerprint import fingerprint

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Assistant Mon espace santé")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("fingerprint", help="print the fingerprint of the model's inputs")
    from bot.france_services import cli as france_services_cli  # SQLAlchemy: only when needed

    france_services_cli.add_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "fingerprint":
        print(fingerprint(ROOT))
    elif args.command == "data":
        return france_services_cli.run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
