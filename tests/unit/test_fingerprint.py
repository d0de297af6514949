"""The model is retrained exactly when one of its inputs changes."""

from pathlib import Path

from tools.fingerprint import fingerprint


def make_project(root: Path) -> None:
    (root / "data" / "nlu").mkdir(parents=True)
    (root / "data" / "nlu" / "a.yml").write_text("nlu: []\n")
    (root / "config.yml").write_text("language: fr\n")
    (root / "domain").mkdir()
    (root / "domain" / "core.yml").write_text("intents: []\n")
    (root / "README.md").write_text("hello\n")


def test_fingerprint_is_stable_and_tracks_model_inputs_only(tmp_path):
    make_project(tmp_path)
    first = fingerprint(tmp_path)
    assert fingerprint(tmp_path) == first
    (tmp_path / "README.md").write_text("changed\n")
    assert fingerprint(tmp_path) == first
    (tmp_path / "data" / "nlu" / "a.yml").write_text("nlu: [x]\n")
    changed = fingerprint(tmp_path)
    assert changed != first
    (tmp_path / "data" / "nlu" / "a.yml").rename(tmp_path / "data" / "nlu" / "b.yml")
    assert fingerprint(tmp_path) != changed


def test_every_bot_module_the_nlu_components_import_is_a_model_input():
    import ast
    from pathlib import Path

    from tools.fingerprint import MODEL_INPUTS

    root = Path(__file__).resolve().parents[2]
    pending = [*(root / "rasa_ext" / "nlu").glob("*.py")]
    seen: set[str] = set()
    while pending:
        tree = ast.parse(pending.pop().read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(("bot.", "rasa_ext.")):
                path = node.module.replace(".", "/") + ".py"
                if path not in seen and (root / path).is_file():
                    seen.add(path)
                    pending.append(root / path)
    covered = {p for p in seen if any(p == i or p.startswith(i.rstrip("/") + "/") for i in MODEL_INPUTS)}
    assert seen and seen == covered
