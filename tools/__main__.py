"""Project commands: ``python -m tools <command>``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.fingerprint import fingerprint

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools", description="Assistant Mon espace santé")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("fingerprint", help="print the fingerprint of the model's inputs")
    from bot.france_services import cli as france_services_cli  # SQLAlchemy: only when needed

    france_services_cli.add_parser(commands)
    from tools.review import cli as review_cli

    review_cli.add_parser(commands)
    purge_parser = commands.add_parser(
        "purge", help="supprimer les événements des conversations de plus de N jours, et les avis de plus de 12 mois"
    )
    purge_parser.add_argument("--days", type=float, default=None, help="défaut : $MES_RETENTION_DAYS ou 30")
    purge_parser.add_argument("--db-url", default=None, help="défaut : $MES_TRACKER_DB_URL ou sqlite:///var/trackers.db")
    purge_parser.add_argument("--feedback-db-url", default=None, help="défaut : $MES_FEEDBACK_DB_URL, var/feedback.db")
    purge_parser.add_argument("--feedback-days", type=float, default=None,
                              help="défaut : $MES_FEEDBACK_RETENTION_DAYS ou 365")  # fmt: skip
    commands.add_parser("report", help="reports/index.html : une page qui résume les derniers essais")
    commands.add_parser("validate", help="contrôles du projet sur les données (liens, exemples, doublons…)")
    commands.add_parser("spacy-model", help="build var/spacy/: fr_core_news_md reduced to its tokenizer and vectors")
    commands.add_parser("calibrate", help="choisir température et seuils de refus sur un lot de validation")
    commands.add_parser("eval", help="questions venues de l'extérieur posées au canal REST : reports/eval/")
    commands.add_parser("blind", help="le modèle seul sur les questions écrites à l'aveugle : reports/blind/")
    answers_parser = commands.add_parser(
        "answers", help="banque de réponses : générer ou vérifier data/nlu/answers.yml"
    )
    answers_parser.add_argument("action", choices=["build", "check"])
    guides_parser = commands.add_parser(
        "guides", help="guides : générer ou vérifier domain/guides.yml depuis data/guides"
    )
    guides_parser.add_argument("action", choices=["build", "check"])
    args = parser.parse_args(argv)
    if args.command == "fingerprint":
        print(fingerprint(ROOT))
    elif args.command == "data":
        return france_services_cli.run(args)
    elif args.command == "review":
        return review_cli.run(args)
    elif args.command == "validate":
        return _validate()
    elif args.command == "report":
        from tools.report import write

        print(f"Rapport écrit : {write(ROOT)}")
    elif args.command == "spacy-model":
        from rasa_ext.nlu import spacy_model

        return spacy_model.main(ROOT)
    elif args.command == "calibrate":
        from tools.calibrate import main as calibrate

        return calibrate(ROOT)
    elif args.command == "eval":
        from tools.evaluation.runner import main as evaluate

        return evaluate(ROOT)
    elif args.command == "blind":
        from tools.blind import main as blind

        return blind(ROOT)
    elif args.command == "answers":
        return _answers(args.action)
    elif args.command == "guides":
        return _guides(args.action)
    elif args.command == "purge":
        return _purge(args.db_url, args.days) or _purge_feedback(args.feedback_db_url, args.feedback_days)
    return 0


def _validate() -> int:
    from tools.quality import bank_warnings, run_all

    failed = 0
    for warning in bank_warnings(ROOT):
        print(f"ATTENTION {warning}")
    for name, problems in run_all(ROOT).items():
        print(f"{'OK ' if not problems else 'ÉCHEC'} {name}" + (f" : {len(problems)} problème(s)" if problems else ""))
        for problem in problems:
            print(f"    - {problem}")
        failed += len(problems)
    return 1 if failed else 0


def _answers(action: str) -> int:
    from bot.answers.bank import BANK_FOLDER, BankError, load_bank
    from bot.answers.build import NLU_FILE, is_current, write_nlu

    try:
        bank = load_bank(ROOT / BANK_FOLDER)
    except BankError as error:
        print(f"Erreur dans la banque de réponses : {error}", file=sys.stderr)
        return 1
    if action == "build":
        print(f"{len(bank)} réponses → {write_nlu(bank, ROOT).relative_to(ROOT)}")
        return 0
    if is_current(bank, ROOT):
        print(f"{NLU_FILE} est à jour ({len(bank)} réponses).")
        return 0
    print(f"{NLU_FILE} n'est pas à jour : lancez « python -m tools answers build ».", file=sys.stderr)
    return 1


def _guides(action: str) -> int:
    from bot.guides import DOMAIN, GENERATED_NAME, SpecError, guide_files, is_current, write

    target = (DOMAIN / GENERATED_NAME).relative_to(ROOT)
    try:
        if action == "build":
            print(f"{len(guide_files())} guides → {write().relative_to(ROOT)}")
            return 0
        current = is_current()
    except SpecError as error:
        print(f"Erreur dans un guide : {error}", file=sys.stderr)
        return 1
    if current:
        print(f"{target} est à jour ({len(guide_files())} guides).")
        return 0
    print(f"{target} n'est pas à jour : lancez « python -m tools guides build ».", file=sys.stderr)
    return 1


def _purge(url: str | None, days: float | None) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from rasa_ext.stores.tracker_store import purge

    try:
        deleted = purge(url, days)
    except (SQLAlchemyError, ValueError) as error:
        print(f"Erreur : la base des conversations est inaccessible ({type(error).__name__}).", file=sys.stderr)
        return 1
    print(f"{deleted} événements supprimés (plus anciens que la durée de conservation).")
    return 0


def _purge_feedback(url: str | None, days: float | None) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from bot import feedback

    try:
        deleted = feedback.purge(url, days)
    except (SQLAlchemyError, ValueError) as error:
        print(f"Erreur : la base des avis est inaccessible ({type(error).__name__}).", file=sys.stderr)
        return 1
    print(f"{deleted} avis supprimés (plus anciens que la durée de conservation).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
