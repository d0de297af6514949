"""`make report`: one self-contained HTML page (plots embedded) summarising the last runs in reports/.

Reads what the other commands wrote: reports/nlu (make test-nlu), reports/conversations
(make test-stories), reports/review (python -m tools review), reports/bench (make bench).
Missing parts are said, never invented.
"""

from __future__ import annotations

import base64
import html
import json
from datetime import datetime
from pathlib import Path
from typing import Any

TITLE = "Assistant Mon espace santé – rapport des derniers essais"
STYLE = """
body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#161616;line-height:1.5}
h1{font-size:1.8rem}h2{border-bottom:2px solid #000091;padding-bottom:.2rem;margin-top:2.5rem}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}
.ok{color:#18753c;font-weight:bold}.ko{color:#ce0500;font-weight:bold}.none{color:#666;font-style:italic}
img{max-width:100%;border:1px solid #ddd;margin:.5rem 0}code{background:#f6f6f6;padding:0 .2rem}
"""


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _img(path: Path, alt: str) -> str:
    if not path.is_file():
        return ""
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _missing(command: str) -> str:
    return f'<p class="none">Pas encore de résultat : lancez <code>{html.escape(command)}</code>.</p>'


def _when(path: Path) -> str:
    moment = datetime.fromtimestamp(path.stat().st_mtime).strftime("%d/%m/%Y %H:%M")
    return f"<p>Dernier essai : {moment}.</p>"


def _opening(title: str, result: Path, command: str) -> tuple[Any, list[str]]:
    """The JSON result a section reads and the section's first parts: its title, then the date of the run;
    without a result (None), the title and the command that makes one."""
    data = _read_json(result)
    return data, [f"<h2>{title}</h2>", _when(result) if data else _missing(command)]


def nlu_section(reports: Path, bar: float | None) -> str:
    summary, parts = _opening("Compréhension (NLU)", reports / "nlu" / "summary.json", "make test-nlu")
    if not summary:
        return "".join(parts)
    macro = float(summary.get("macro_f1", 0))
    verdict = "ok" if bar is None or macro >= bar else "ko"
    parts += [
        f'<p>Macro-F1 sur {summary.get("n", 0)} phrases de test jamais apprises : '
        f'<span class="{verdict}">{macro:.3f}</span>' + (f" (seuil {bar})" if bar is not None else "") + ".",
        f' Erreurs : {summary.get("errors", 0)}.</p>',
    ]
    confusions = summary.get("top_confusions") or []
    if confusions:
        rows = [[c["expected"], c["predicted"], c["count"]] for c in confusions]
        parts.append(_table(["attendue", "prédite", "fois"], rows))
    parts.append(_img(reports / "nlu" / "confusion_matrix.png", "matrice de confusion des intentions"))
    table = reports / "nlu" / "intent_report.md"
    if table.is_file():
        rows = []
        for line in table.read_text(encoding="utf-8").splitlines()[2:]:
            cells = [c.strip().strip("*") for c in line.strip("|").split("|")]
            if len(cells) == 5:
                rows.append(cells)
        parts.append("<details><summary>Détail par intention (les plus faibles d'abord)</summary>")
        parts.append(_table(["intention", "précision", "rappel", "F1", "n"], rows) + "</details>")
    return "".join(parts)


def stories_section(reports: Path) -> str:
    folder = reports / "conversations"
    report, parts = _opening("Histoires de test", folder / "story_report.json", "make test-stories")
    if report:
        failed = folder / "failed_test_stories.yml"
        failed_text = failed.read_text(encoding="utf-8") if failed.is_file() else ""
        ok = not failed_text.strip() or "None of the test stories failed" in failed_text
        verdict = '<span class="ok">aucune erreur</span>' if ok else '<span class="ko">des histoires échouent</span>'
        parts.append(f"<p>Prédiction des actions : {verdict}.</p>")
        if not ok:
            parts.append(f"<pre>{html.escape(failed_text[:4000])}</pre>")
        weak = [[name, f"{v.get('f1-score', 0):.2f}", v.get("support", 0)] for name, v in sorted(report.items())
                if isinstance(v, dict) and v.get("support") and v.get("f1-score", 1) < 1]  # fmt: skip
        if weak:
            parts.append(_table(["action", "F1", "n"], weak))
    return "".join(parts)


def review_section(reports: Path) -> str:
    folder = reports / "review"
    summary, parts = _opening("Ce que les usagers ont demandé", folder / "summary.json", "python -m tools review")
    if summary:
        facts = [
            ["période", summary.get("period")],
            ["conversations", summary.get("conversations")],
            ["messages", summary.get("user_messages")],
            ["taux de « je n'ai pas compris »", summary.get("fallback_rate")],
            ["groupes de messages à étiqueter", summary.get("to_label_groups")],
        ]
        parts.append(_table(["mesure", "valeur"], [[k, json.dumps(v, ensure_ascii=False)] for k, v in facts]))
        parts += [_img(png, png.stem.replace("_", " ")) for png in sorted(folder.glob("*.png"))]
    return "".join(parts)


def bench_section(reports: Path) -> str:
    folder = reports / "bench"
    pages = sorted(folder.glob("*.md")) if folder.is_dir() else []
    if not pages:
        return "<h2>Performances</h2>" + _missing("make bench")
    parts = ["<h2>Performances</h2>"]
    for page in pages:
        parts.append(_when(page) + f"<pre>{html.escape(page.read_text(encoding='utf-8'))}</pre>")
    parts += [_img(png, png.stem) for png in sorted(folder.glob("*.png"))]
    return "".join(parts)


def build(reports: Path, bar: float | None = None) -> str:
    """The whole page."""
    sections = [nlu_section(reports, bar), stories_section(reports), review_section(reports), bench_section(reports)]
    return (
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{TITLE}</title>'
        f"<style>{STYLE}</style></head><body><h1>{TITLE}</h1>"
        + "".join(sections)
        + "</body></html>"
    )


def write(root: Path) -> Path:
    """Write reports/index.html and return its path."""
    import yaml

    thresholds = yaml.safe_load((root / "config" / "thresholds.yml").read_text(encoding="utf-8"))
    reports = root / "reports"
    reports.mkdir(exist_ok=True)
    page = reports / "index.html"
    page.write_text(build(reports, thresholds["nlu"]["min_macro_f1"]), encoding="utf-8")
    return page
