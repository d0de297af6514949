"""PNG charts for usage.md (matplotlib's Agg canvas: no display, no pyplot global state)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from tools.review.journeys import Funnel

BLUE, RED = "#000091", "#c9191e"  # DSFR blue France, red Marianne


def _save(figure: Figure, path: Path) -> Path:
    FigureCanvasAgg(figure)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    return path


def conversations_per_day(days: dict[date, int], path: Path) -> Path:
    """Bar chart of conversations per day."""
    figure = Figure(figsize=(8, 3.5))
    axes = figure.add_subplot()
    labels = [d.strftime("%d/%m") for d in days]
    axes.bar(range(len(days)), list(days.values()), color=BLUE)
    step = max(1, len(labels) // 15)
    axes.set_xticks(range(0, len(labels), step))
    axes.set_xticklabels(labels[::step], rotation=45, ha="right")
    axes.set_ylabel("conversations")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title("Conversations par jour" + ("" if days else " (aucune)"))
    return _save(figure, path)


def funnel(data: Funnel, path: Path) -> Path:
    """Horizontal bars: conversations reaching each step, then finished; who left at each step in red."""
    figure = Figure(figsize=(7, 0.45 * (data.steps + 2) + 1))
    axes = figure.add_subplot()
    labels = [f"Étape {k}" for k in range(1, data.steps + 1)] + ["Terminé"]
    reached = [data.reached(k) for k in range(1, data.steps + 1)] + [data.finished]
    left = [data.abandoned_at_step[k] + data.referred_at_step[k] for k in range(1, data.steps + 1)] + [0]
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, reached, color=BLUE, label="atteinte")
    axes.barh(positions, left, color=RED, label="quittée à cette étape")
    axes.set_yticks(positions)
    axes.set_yticklabels(labels)
    axes.set_xlabel("conversations")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(f"{data.title} : {data.started} commencé(s), {data.finished} terminé(s)")
    axes.legend(loc="lower right", fontsize="small")
    return _save(figure, path)
