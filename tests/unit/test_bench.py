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
    default = runner.default_config(tmp_path, quick=False)
    before = {m: runner.model_fingerprint(m, c, data) for m, c in (("project", config), ("default", default))}
    assert before == {m: runner.model_fingerprint(m, c, data) for m, c in (("project", config), ("default", default))}
    config.write_text(config.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert runner.model_fingerprint("project", config, data) != before["project"]
    assert runner.model_fingerprint("default", default, data) == before["default"]
    default.write_text(default.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert runner.model_fingerprint("default", default, data) != before["default"]


def test_the_selector_comparison_trains_rasas_default_nlu_pipeline_only(tmp_path):
    import yaml

    from bench.selector import nlu_part_of_default

    config = yaml.safe_load(nlu_part_of_default(tmp_path).read_text(encoding="utf-8"))
    names = [step["name"] for step in config["pipeline"]]
    assert "DIETClassifier" in names and "ResponseSelector" in names and "policies" not in config
    assert config["assistant_id"] != "placeholder_default"
