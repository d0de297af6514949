"""The bench's own logic: which model is retrained, and how ratios become verdicts."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

from bench import report, runner

ROOT = Path(__file__).resolve().parents[2]


def summary(p50: float, throughput: float, turn100: float, cold: float, rss: float, training: float) -> dict:
    def model(p50_ms, thr, t100, cold_s, rss_mib, train_s):
        return {"levels": {"1": {"p50_ms": p50_ms}, "32": {"throughput_msg_s": thr}},
                "turns_ms": {"1": 10.0, "100": t100}, "cold_start_s": cold_s, "rss_mib": rss_mib,
                "training_s": train_s}  # fmt: skip

    return {"project": model(p50, throughput, turn100, cold, rss, training),
            "default": model(100.0, 10.0, 99.0, 60.0, 1000.0, 600.0)}  # fmt: skip


SETTINGS = {"levels": [1, 8, 32, 64], "turns": [1, 10, 50, 100]}


def test_every_target_met_and_each_one_missed():
    rows = report.targets(summary(50, 30, 12, 24, 700, 600), SETTINGS)
    assert [r["met"] for r in rows] == [True] * 6  # exactly on each bound
    missed = report.targets(summary(51, 29.9, 12.1, 24.1, 701, 601), SETTINGS)
    assert [r["met"] for r in missed] == [False] * 6


def test_a_missing_figure_is_not_measured_rather_than_met():
    rows = report.targets(summary(float("nan"), 30, 12, 24, 700, 600), SETTINGS)
    assert rows[0]["met"] is None and math.isnan(rows[0]["value"])
    assert report.verdict(None) == "non mesuré"


def test_the_project_is_retrained_when_its_config_changes_the_default_only_with_its_own(tmp_path):
    data = [ROOT / "data"]
    config = tmp_path / "config.yml"
    shutil.copy(ROOT / "config.yml", config)
    default = runner.default_config(tmp_path, None)
    before = {m: runner.model_fingerprint(m, c, data) for m, c in (("project", config), ("default", default))}
    assert before == {m: runner.model_fingerprint(m, c, data) for m, c in (("project", config), ("default", default))}
    config.write_text(config.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert runner.model_fingerprint("project", config, data) != before["project"]
    assert runner.model_fingerprint("default", default, data) == before["default"]
    default.write_text(default.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert runner.model_fingerprint("default", default, data) != before["default"]


def test_fewer_default_epochs_change_every_epochs_of_the_recipe_and_nothing_else(tmp_path):
    import yaml

    full = yaml.safe_load(runner.default_config(tmp_path, None).read_text(encoding="utf-8"))
    short = yaml.safe_load(runner.default_config(tmp_path, 5).read_text(encoding="utf-8"))
    steps = [*full["pipeline"], *full["policies"]]
    assert any("epochs" in step for step in steps) and all(step.get("epochs", 100) == 100 for step in steps)
    reduced = [*short["pipeline"], *short["policies"]]
    assert [step.get("epochs") for step in reduced] == [5 if "epochs" in step else None for step in steps]
    assert [{k: v for k, v in s.items() if k != "epochs"} for s in reduced] == [
        {k: v for k, v in s.items() if k != "epochs"} for s in steps]


def test_the_selector_comparison_reads_classifier_training_times_from_rasas_log(tmp_path):
    from bench.selector import classifier_seconds

    log = tmp_path / "train.log"
    log.write_text(
        "2026-12-03 10:00:00 INFO     rasa.engine.training.hooks  - Starting to train component 'DIETClassifier'.\n"
        "noise\n"
        "2026-12-03 10:20:30 INFO     rasa.engine.training.hooks  - Finished training component 'DIETClassifier'.\n"
        "2026-12-03 10:21:00 INFO     rasa.engine.training.hooks  - Starting to train component 'TEDPolicy'.\n"
        "2026-12-03 10:31:00 INFO     rasa.engine.training.hooks  - Finished training component 'TEDPolicy'.\n",
        encoding="utf-8",
    )
    assert classifier_seconds(log, ("DIETClassifier", "ResponseSelector")) == 1230.0
