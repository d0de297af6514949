"""Rasa test stories (tests/conversations/): NLU and next-action predictions, no error allowed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_conversation_stories_have_no_prediction_error(root):
    out = root / "reports" / "conversations"
    rasa = Path(sys.executable).parent / "rasa"
    command = [
        str(rasa),
        "test",
        "core",
        "--model",
        str(root / "models" / "mes.tar.gz"),
        "--stories",
        str(root / "tests" / "conversations"),
        "--fail-on-prediction-errors",
        "--out",
        str(out),
    ]
    result = subprocess.run(
        command, cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True, text=True, timeout=900
    )
    failed = out / "failed_test_stories.yml"
    details = failed.read_text(encoding="utf-8") if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, details
