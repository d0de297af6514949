"""Medians over runs, the issue's targets (ratios project/default), the Markdown page and the two plots."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

from bench.france_services import LOAD_TARGET_S, P99_TARGET_MS, percentile

MODELS = ("project", "default")
NAMES = {"project": "projet (config.yml)", "default": "recette par défaut de Rasa"}
QUICK_LABEL = "mode rapide : chiffres non représentatifs"


def median(values: list[float]) -> float:
    values = [v for v in values if v is not None and not math.isnan(v)]
    return statistics.median(values) if values else float("nan")


def latency_stats(latencies: list[float]) -> dict[str, float]:
    if not latencies:
        return {"p50_ms": float("nan"), "p95_ms": float("nan"), "p99_ms": float("nan")}
    return {"p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
            "p99_ms": percentile(latencies, 99)}  # fmt: skip


def summarise(results: dict) -> dict:
    """Per model: the median over runs of each run's figure (turns: median of every repetition of every run)."""
    summary: dict = {}
    for model in MODELS:
        runs = [run for run in results["runs"] if run["model"] == model]
        levels: dict[str, dict[str, float]] = {}
        for level in results["settings"]["levels"]:
            per_run = [latency_stats(run["levels"][str(level)]["latencies_ms"]) | {
                "throughput_msg_s": run["levels"][str(level)]["throughput_msg_s"]} for run in runs]  # fmt: skip
            levels[str(level)] = {key: median([r[key] for r in per_run]) for key in per_run[0]} if per_run else {}
        turns = {str(turn): median([v for run in runs for v in run["turns"]["latencies_ms"][str(turn)]])
                 for turn in results["settings"]["turns"]}  # fmt: skip
        summary[model] = {
            "runs": len(runs),
            "cold_start_s": median([run["cold_start_s"] for run in runs]),
            "rss_mib": median([run["memory_after_warmup"]["rss_mib"] for run in runs]),
            "training_s": results["training"][model]["seconds"],
            "levels": levels,
            "turns_ms": turns,
            "errors": sum(run["errors"] for run in runs),
            "empty_replies": sum(run["empty_replies"] for run in runs),
        }
    return summary


def _ratio(a: float, b: float) -> float:
    return a / b if b and not math.isnan(a) and not math.isnan(b) else float("nan")


def targets(summary: dict, settings: dict) -> list[dict]:
    """The issue's six targets; in quick mode the missing levels/turns are replaced by the nearest measured ones."""
    p, d = summary["project"], summary["default"]
    levels, turns = settings["levels"], settings["turns"]
    level = "32" if 32 in levels else str(max(levels))
    turn = "100" if 100 in turns else str(max(turns))
    first = str(min(turns))
    rows = [
        ("latence p50, 1 conversation", "projet / défaut",
         _ratio(p["levels"]["1"]["p50_ms"], d["levels"]["1"]["p50_ms"]), "<=", 0.5),
        (f"débit à {level} conversations simultanées", "projet / défaut",
         _ratio(p["levels"][level]["throughput_msg_s"], d["levels"][level]["throughput_msg_s"]), ">=", 3.0),
        (f"latence au tour {turn}", f"projet tour {turn} / projet tour {first}",
         _ratio(p["turns_ms"][turn], p["turns_ms"][first]), "<=", 1.2),
        ("démarrage à froid", "projet / défaut", _ratio(p["cold_start_s"], d["cold_start_s"]), "<=", 0.4),
        ("mémoire résidente", "projet / défaut", _ratio(p["rss_mib"], d["rss_mib"]), "<=", 0.7),
        ("entraînement complet", "projet / défaut", _ratio(p["training_s"], d["training_s"]), "<=", 1.0),
    ]  # fmt: skip
    out = []
    for name, ratio_of, value, sense, bound in rows:
        met = None if math.isnan(value) else (value <= bound if sense == "<=" else value >= bound)
        out.append({"target": name, "ratio": ratio_of, "value": value, "objective": f"{'≤' if sense == '<=' else '≥'} "
                    f"{bound:g}×", "met": met})  # fmt: skip
    return out


def verdict(met: bool | None) -> str:
    return "non mesuré" if met is None else ("atteint" if met else "NON atteint")


def _f(value: float, digits: int = 1) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def targets_table(rows: list[dict]) -> list[str]:
    lines = ["| objectif | rapport | valeur | cible | verdict |", "|---|---|---|---|---|"]
    lines += [f"| {r['target']} | {r['ratio']} | {_f(r['value'], 2)}× | {r['objective']} | {verdict(r['met'])} |"
              for r in rows]  # fmt: skip
    return lines


def markdown(results: dict) -> str:
    settings, summary, machine = results["settings"], results["summary"], results["machine"]
    quick = settings["quick"]
    p, d = summary["project"], summary["default"]
    out = ["# Banc de mesure : configuration du projet contre la recette par défaut de Rasa", ""]
    if quick:
        out += [f"> **{QUICK_LABEL}** — entraînement sur un petit sous-ensemble des données, recette par défaut "
                "réduite à 1 époque, 1 passage, concurrence 1 et 4, tours 1 et 10. Sert à vérifier que le banc "
                "fonctionne, pas à comparer.", ""]  # fmt: skip
    elif settings.get("default_epochs"):
        out += [f"> **Recette par défaut entraînée avec {settings['default_epochs']} époques au lieu de 100** "
                "(`--default-epochs`) : même réseau, donc même coût de service (latence, débit, mémoire, démarrage) ; "
                "son temps d'entraînement est un minimum, et le rapport d'entraînement un maximum.", ""]  # fmt: skip
    out += [
        f"Mesuré le {results['started']} en {results['duration_s'] / 60:.1f} min, {settings['runs']} passage(s) "
        f"alternés (projet, défaut, projet, défaut…), Rasa {machine['rasa']}, {machine['cpus']} cœurs "
        f"({machine['cpu_model']}), charge moyenne au début {machine['load_start']}, à la fin {machine['load_end']}.",
        "",
        "**Machine partagée et bruitée** : d'autres programmes tournaient peut-être en même temps. Chaque chiffre "
        "est la médiane des passages ; toutes les valeurs brutes sont dans `results.json`. Un écart de moins de "
        "10 à 20 % entre deux mesures n'est pas significatif.",
        "",
        "## Objectifs (ticket 8)",
        "",
        *targets_table(results["targets"]),
        "",
        "## Résultats (médianes)",
        "",
        f"| mesure | {NAMES['project']} | {NAMES['default']} |",
        "|---|---|---|",
        f"| démarrage à froid (lancement → 1re réponse 200) | {_f(p['cold_start_s'])} s | {_f(d['cold_start_s'])} s |",
        f"| mémoire résidente après échauffement (VmRSS) | {_f(p['rss_mib'], 0)} Mio | {_f(d['rss_mib'], 0)} Mio |",
        f"| entraînement (`rasa train`, sans cache) | {_f(p['training_s'])} s | {_f(d['training_s'])} s |",
    ]
    for level in settings["levels"]:
        lp, ld = p["levels"][str(level)], d["levels"][str(level)]
        out.append(f"| {level} conv. simultanée(s) : latence p50 / p95 / p99 | {_f(lp['p50_ms'], 0)} / "
                   f"{_f(lp['p95_ms'], 0)} / {_f(lp['p99_ms'], 0)} ms | {_f(ld['p50_ms'], 0)} / {_f(ld['p95_ms'], 0)} "
                   f"/ {_f(ld['p99_ms'], 0)} ms |")  # fmt: skip
        out.append(f"| {level} conv. simultanée(s) : débit | {_f(lp['throughput_msg_s'])} msg/s | "
                   f"{_f(ld['throughput_msg_s'])} msg/s |")  # fmt: skip
    for turn in settings["turns"]:
        out.append(f"| latence au tour {turn} d'une conversation | {_f(p['turns_ms'][str(turn)], 0)} ms | "
                   f"{_f(d['turns_ms'][str(turn)], 0)} ms |")  # fmt: skip
    out.append(f"| erreurs / réponses vides (tous passages) | {p['errors']} / {p['empty_replies']} | "
               f"{d['errors']} / {d['empty_replies']} |")  # fmt: skip
    training = results["training"]
    reused = [m for m in MODELS if training[m].get("reused")]
    fs = results.get("france_services") or {}
    out += [
        "",
        "![latence et débit](latency.png)",
        "",
        "![latence selon le tour](turns.png)",
        "",
        "## France Services (recherche en mémoire, `bench/france_services.py`)",
        "",
        "| mesure | valeur |",
        "|---|---|",
        f"| recherches (lieu + 3 points les plus proches) | {fs.get('lookups', 0):.0f} |",
        f"| p50 / p95 / p99 / max | {_f(fs.get('p50_ms'), 2)} / {_f(fs.get('p95_ms'), 2)} / {_f(fs.get('p99_ms'), 2)}"
        f" / {_f(fs.get('max_ms'), 2)} ms |",
        f"| chargement de la base SQLite | {_f(fs.get('store_load_s'), 2)} s |",
        f"| chargement des communes | {_f(fs.get('gazetteer_load_s'), 2)} s |",
        "",
        f"Objectifs de ce banc : p99 ≤ {P99_TARGET_MS:g} ms ({verdict(fs.get('p99_ms', math.inf) <= P99_TARGET_MS)}), "
        f"chargement ≤ {LOAD_TARGET_S:g} s ({verdict(fs.get('store_load_s', math.inf) <= LOAD_TARGET_S)}) ; "
        "détail dans `france_services.md`.",
        "",
        "## Méthode",
        "",
        "- Les deux modèles sont entraînés sur les mêmes données (`data/`"
        + (", sous-ensemble" if quick else "")
        + ") par `rasa train` dans `var/bench/`, chacun avec un cache vide (le temps est celui d'un entraînement "
        "complet, sans réutilisation)."
        + (f" Modèles réutilisés (entrées inchangées) : {', '.join(reused)} ; temps de leur entraînement."
           if reused else ""),
        "- Un seul serveur d'actions pour tout le banc ; un seul serveur Rasa à la fois (canal REST, pas de lock "
        "store), arrêté puis relancé à chaque passage. Chacun est servi comme il le serait : le défaut avec les "
        "réglages par défaut de Rasa (trackers en mémoire), le projet avec son `endpoints.yml` (options du serveur "
        "d'actions, trackers SQL à fenêtre sur un fichier SQLite neuf de `var/bench/`).",
        f"- Même client aiohttp, même script pour les deux : {len(results['script'])} messages (salutation, "
        "questions tirées des phrases de test `tests/nlu`, guide d'activation avec /step_done, recherche France "
        "Services, remerciements). Un utilisateur virtuel enchaîne des conversations complètes (chacune son "
        f"`sender`) ; {settings['conversations_min']} conversations au moins par niveau de concurrence.",
        f"- Latence selon le tour : {settings['turn_repetitions']} conversations longues par passage ; aux tours "
        f"mesurés, la même question (« {results['probe']} ») ; le tour 1 comprend l'ouverture de session.",
        "- Mémoire : VmRSS du processus Rasa (et de ses enfants) lu dans /proc après "
        f"{settings['warmup_conversations']} conversation(s) d'échauffement.",
        "- Débit : messages répondus / durée du niveau. Percentiles au rang le plus proche.",
        "",
    ]
    return "\n".join(out)


def plots(results: dict, folder: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, NullFormatter

    plain = FuncFormatter(lambda value, _: f"{value:g}")

    settings, summary = results["settings"], results["summary"]
    suffix = f"\n({QUICK_LABEL})" if settings["quick"] else ""
    colours = {"project": "#000091", "default": "#e1000f"}
    levels = settings["levels"]

    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    for model in MODELS:
        stats = summary[model]["levels"]
        for key, style in (("p50_ms", "-"), ("p95_ms", "--"), ("p99_ms", ":")):
            left.plot(levels, [stats[str(level)][key] for level in levels], style, marker="o", color=colours[model],
                      label=f"{NAMES[model]} {key[:3]}")  # fmt: skip
        right.plot(levels, [stats[str(level)]["throughput_msg_s"] for level in levels], marker="o",
                   color=colours[model], label=NAMES[model])  # fmt: skip
    left.set(xscale="log", yscale="log", xlabel="conversations simultanées", ylabel="latence (ms)",
             title="Latence par message" + suffix)  # fmt: skip
    right.set(xscale="log", xlabel="conversations simultanées", ylabel="messages / s", title="Débit" + suffix)
    left.yaxis.set_major_formatter(plain)
    left.yaxis.set_minor_formatter(plain)
    for axis in (left, right):
        axis.set_xticks(levels, [str(level) for level in levels])
        axis.xaxis.set_minor_formatter(NullFormatter())
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(folder / "latency.png", dpi=110)
    plt.close(figure)

    turns = settings["turns"]
    figure, axis = plt.subplots(figsize=(7, 4.5))
    for model in MODELS:
        values = [[v for run in results["runs"] if run["model"] == model for v in run["turns"]["latencies_ms"][str(t)]]
                  for t in turns]  # fmt: skip
        mid = [median(v) for v in values]
        low = [m - min(v) if v else 0 for m, v in zip(mid, values, strict=True)]
        high = [max(v) - m if v else 0 for m, v in zip(mid, values, strict=True)]
        axis.errorbar(turns, mid, yerr=[low, high], marker="o", capsize=4, color=colours[model], label=NAMES[model])
    first = summary["project"]["turns_ms"][str(min(turns))]
    if not math.isnan(first):
        axis.axhline(1.2 * first, color=colours["project"], linestyle=":", label="objectif : 1,2 × tour 1 du projet")
    axis.set(xscale="log", yscale="log", xlabel="tour de la conversation", ylabel="latence (ms, médiane, min–max)",
             title="Latence selon la longueur de la conversation" + suffix)  # fmt: skip
    axis.set_xticks(turns, [str(t) for t in turns])
    axis.xaxis.set_minor_formatter(NullFormatter())
    axis.yaxis.set_major_formatter(plain)
    axis.yaxis.set_minor_formatter(plain)
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(folder / "turns.png", dpi=110)
    plt.close(figure)
