"""The site's own environment (.venv-web): it never imports Rasa, and runs the aiohttp requirements-web.lock pins."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("rasa", "rasa_sdk", "tensorflow", "spacy", "sklearn")


def test_the_site_imports_no_rasa():
    """What `python -m bot.web` loads (app, /health's store, log redaction) names none of Rasa's packages."""
    code = (
        "import sys, bot.web.__main__, bot.france_services.store; "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert result.stdout.strip() == "[]"


def pinned(name: str, lock: str = "requirements-web.lock") -> str:
    """The version ``lock`` pins for ``name``."""
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        if line.lower().startswith(f"{name.lower()}=="):
            return line.split("==")[1]
    raise AssertionError(f"{name} is not pinned in {lock}")


# Packages both environments run: the same versions, so that the site masks personal data exactly as the
# tracker store does (bot.privacy runs in both) and its tests use the same tools.
SHARED = ["numpy", "RapidFuzz", "SQLAlchemy", "phonenumbers", "python-stdnum", "PyYAML", "pytest", "playwright"]


def test_the_two_locks_agree_on_what_both_environments_run():
    assert {name: pinned(name) for name in SHARED} == {name: pinned(name, "requirements.lock") for name in SHARED}


def test_the_image_runs_the_tested_versions():
    """The web image installs requirements-web-runtime.lock: every pin is the one the tests ran with."""
    runtime = [
        line.split("==")[0]
        for line in (ROOT / "requirements-web-runtime.lock").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert "aiohttp" in runtime and "pytest" not in runtime
    assert {name: pinned(name, "requirements-web-runtime.lock") for name in runtime} == {
        name: pinned(name) for name in runtime
    }


@pytest.mark.skipif(Path(sys.prefix).name != ".venv-web", reason="only in .venv-web (make test runs tests/web there)")
def test_the_site_is_tested_with_the_aiohttp_it_ships():
    assert aiohttp.__version__ == pinned("aiohttp")
    assert tuple(int(x) for x in aiohttp.__version__.split(".")[:3]) >= (3, 13, 4)
