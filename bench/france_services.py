"""France Services lookup benchmark: place resolution + nearest search in process, and store load time.

Run with ``make bench`` (or ``python -m bench.france_services``). Writes reports/bench/france_services.md.
Targets (issue "France Services finder"): p99 of resolution + nearest <= 5 ms; store load <= 10 s.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from pathlib import Path

from bot.france_services.index import PointIndex
from bot.france_services.raw import SHIPPED_FILE as CSV
from bot.france_services.store import engine_from_url, load_csv, read_points
from bot.places import Gazetteer
from bot.places.extract import find_place

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "reports" / "bench" / "france_services.md"
P99_TARGET_MS = 5.0
LOAD_TARGET_S = 10.0

# What people type, in the proportions seen in the test conversations: exact names, postcodes,
# typos, sentences, ambiguous names, departments, arrondissements, unknown words.
QUERIES = (
    "Épinal", "epinal", "Nancy", "Saint-Dié-des-Vosges", "st die des vosges", "Metz", "Strasbourg", "Remiremont",
    "Gérardmer", "Lunéville", "Toul", "Verdun", "Colmar", "Mulhouse", "Reims", "Troyes", "Ajaccio", "Cayenne",
    "88000", "54000", "57000", "13003", "20000", "97400", "88100", "67000", "51100", "10000",
    "nacny", "epinla", "strasbour", "marseile", "bordeau", "montpelier", "villeurbane", "toulous",
    "une France services près de Épinal", "j'habite au 88000", "france services pres de remiremont",
    "je suis à Saint Denis", "Neufchâteau dans les Vosges",
    "Saint-Denis", "Vosges", "88", "Paris 15e", "Lyon 3", "zzzzqqq", "bonjour",
)  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def measure(rounds: int) -> dict[str, float]:
    """Time every step; return the figures in ms (lookups) and s (loads)."""
    started = time.perf_counter()
    gazetteer = Gazetteer.load(ROOT / "data" / "geo")
    gazetteer_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        engine = engine_from_url(f"sqlite:///{Path(tmp) / 'fs.db'}")
        started = time.perf_counter()
        load_csv(engine, CSV)
        store_load_s = time.perf_counter() - started
        started = time.perf_counter()
        index = PointIndex(read_points(engine))
        index_s = time.perf_counter() - started
        engine.dispose()
    timings: list[float] = []
    gc.disable()
    try:
        for _ in range(rounds):
            for query in QUERIES:
                started = time.perf_counter()
                found = find_place(gazetteer, query, answer=True)
                if found and found.resolution.places:
                    place = found.resolution.places[0]
                    index.nearest(place.latitude, place.longitude, 3)
                timings.append((time.perf_counter() - started) * 1000)
    finally:
        gc.enable()
    return {
        "lookups": len(timings),
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 95),
        "p99_ms": percentile(timings, 99),
        "max_ms": max(timings),
        "gazetteer_load_s": gazetteer_s,
        "store_load_s": store_load_s,
        "index_build_s": index_s,
    }


def report(figures: dict[str, float]) -> str:
    ok_p99 = "oui" if figures["p99_ms"] <= P99_TARGET_MS else "NON"
    ok_load = "oui" if figures["store_load_s"] <= LOAD_TARGET_S else "NON"
    return "\n".join(
        [
            "# France Services : recherche d'un lieu et des points les plus proches",
            "",
            f"{figures['lookups']:.0f} recherches (lieu compris + 3 points les plus proches), en mémoire.",
            "",
            "| mesure | valeur | objectif | atteint |",
            "|---|---|---|---|",
            f"| médiane | {figures['p50_ms']:.2f} ms | | |",
            f"| p95 | {figures['p95_ms']:.2f} ms | | |",
            f"| p99 | {figures['p99_ms']:.2f} ms | ≤ {P99_TARGET_MS:g} ms | {ok_p99} |",
            f"| max | {figures['max_ms']:.2f} ms | | |",
            f"| chargement de la base (2 845 points, SQLite) | {figures['store_load_s']:.2f} s | ≤ {LOAD_TARGET_S:g} s "
            f"| {ok_load} |",
            f"| construction de l'index en mémoire | {figures['index_build_s'] * 1000:.0f} ms | | |",
            f"| chargement des communes | {figures['gazetteer_load_s']:.2f} s | | |",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args(argv)
    figures = measure(args.rounds)
    text = report(figures)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")
    print(text)
    return 0 if figures["p99_ms"] <= P99_TARGET_MS and figures["store_load_s"] <= LOAD_TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
