"""The project's layers: bot/ is the domain and imports neither Rasa nor the plug-ins and tools built on it.

bot/ ← rasa_ext/ (Rasa plug-ins) and actions/ (rasa_sdk) ← Rasa;  bot/ ← tools/ (maintainers and operators).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Package -> top-level modules it must never import (directly or inside a function).
FORBIDDEN = {
    "bot": {"rasa", "rasa_sdk", "rasa_ext", "tools", "actions", "tensorflow"},
    "rasa_ext": {"tools", "actions"},
    "actions": {"tools", "rasa_ext"},
}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports, at any depth of its code."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_module_imports_a_layer_above_its_own(package):
    offenders = {
        f"{path.relative_to(ROOT)} imports {', '.join(sorted(imported_modules(path) & FORBIDDEN[package]))}"
        for path in (ROOT / package).rglob("*.py")
        if imported_modules(path) & FORBIDDEN[package]
    }
    assert not offenders, sorted(offenders)


def test_the_check_sees_an_import_hidden_in_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from rasa.shared.core.domain import Domain\n    return Domain\n", encoding="utf-8")
    assert imported_modules(module) == {"rasa"}
