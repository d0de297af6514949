"""``python -m tools review [options]`` and ``python -m tools review append FILE``: the maintainers' loop."""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from datetime import date
from pathlib import Path
from typing import Any

from tools.review.events import Period

DEFAULT_OUT = Path("reports") / "review"
SKIPPED_WARNING = "Attention : {n} ligne(s) illisible(s) ignorée(s) (JSON invalide, type inconnu, champ manquant…)."


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date attendue au format AAAA-MM-JJ, pas « {text} »") from None


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"confiance attendue entre 0 et 1, pas « {text} »")
    return value


def add_parser(commands: Any) -> None:
    """Add ``review`` (and its ``append`` sub-command) to the ``python -m tools`` sub-parsers."""
    review = commands.add_parser("review", help="revue des conversations : messages à étiqueter, usage, graphiques")
    review.add_argument("--db-url", help="base des conversations (défaut : $MES_TRACKER_DB_URL ou var/trackers.db)")
    review.add_argument("--since", type=_day, help="premier jour, AAAA-MM-JJ, heure de Paris (défaut : le plus ancien)")
    review.add_argument("--until", type=_day, help="dernier jour inclus, AAAA-MM-JJ (défaut : le plus récent)")
    review.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"dossier des résultats (défaut : {DEFAULT_OUT})")
    review.add_argument("--min-confidence", type=_confidence, default=0.5, help="sous cette confiance : à étiqueter")
    review.add_argument("--feedback-db-url", help="base des avis (défaut : $MES_FEEDBACK_DB_URL ou var/feedback.db)")
    sub = review.add_subparsers(dest="review_command", metavar="append")
    append = sub.add_parser("append", help="ajouter les groupes étiquetés à data/nlu/reviewed.yml")
    append.add_argument("file", type=Path, help="le fichier to_label.yml rempli")


def run(args: argparse.Namespace) -> int:
    if getattr(args, "review_command", None) == "append":
        return run_append(args.file)
    return run_review(args.db_url, Period(args.since, args.until), args.out, args.min_confidence,
                      getattr(args, "feedback_db_url", None))  # fmt: skip


def run_append(path: Path) -> int:
    from tools.review.append import LabelError, append_labels

    if not path.is_file():
        print(f"Erreur : le fichier {path} n'existe pas (lancez d'abord python -m tools review).", file=sys.stderr)
        return 1
    try:
        result = append_labels(path)
    except LabelError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    if not result.added and not result.duplicates and not result.masked and not result.held_out:
        print(f"Aucun groupe étiqueté : remplissez « intent » dans {path}.")
        return 0
    print(result.message())
    return 0


def read_feedback(url: str | None, period: Period) -> list[Any]:
    """The answers' feedback counts of the period (bot/feedback.py); [] with a warning if unreadable."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot import feedback

    try:
        return feedback.summary(url, period.since, period.until)
    except (SQLAlchemyError, ImportError, ValueError, OSError) as error:
        print(f"Attention : la base des avis est inaccessible ({type(error).__name__}) : feedback.md est vide.",
              file=sys.stderr)  # fmt: skip
        return []


def run_review(
    url: str | None, period: Period, out: Path, min_confidence: float = 0.5, feedback_url: str | None = None
) -> int:
    """Read the store (and the answers' feedback), write every file; French messages, exit code 1 when the
    conversations' store is unreachable."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from tools.review.analysis import analyse
    from tools.review.events import conversations, parse_rows, read_rows
    from tools.review.writers import EMPTY, period_label, write_all

    if period.since and period.until and period.since > period.until:
        print("Erreur : --since doit être avant --until.", file=sys.stderr)
        return 2
    if url is None:
        with contextlib.redirect_stderr(io.StringIO()):  # Rasa's SQLAlchemy 2.0 notice on import: not for users
            from rasa_ext.stores.tracker_store import configured_db_url
        url = configured_db_url()
    try:
        shown = make_url(url).render_as_string(hide_password=True)
        rows = read_rows(url, period)
    except (SQLAlchemyError, ImportError, ValueError) as error:
        print(f"Erreur : la base des conversations est inaccessible ({type(error).__name__}).", file=sys.stderr)
        return 1
    events, skipped = parse_rows(rows, period)
    rated = read_feedback(feedback_url, period)
    review = analyse(conversations(events), period, skipped, min_confidence, feedback=rated)
    try:
        write_all(review, out)
    except OSError as error:
        print(f"Erreur : impossible d'écrire dans {out} ({error.strerror or type(error).__name__}).", file=sys.stderr)
        return 1
    if skipped:
        print(SKIPPED_WARNING.format(n=skipped), file=sys.stderr)
    if not review.conversations:
        print(EMPTY)
    print(f"Base lue : {shown}, {period_label(review)}.")
    print(
        f"{len(review.conversations)} conversation(s), {review.user_messages} message(s), "
        f"{len(review.groups)} groupe(s) de messages à étiqueter. Résultats dans {out} :"
        f" to_label.yml, stories.yml, usage.md, feedback.md, summary.json et les graphiques."
    )
    return 0
