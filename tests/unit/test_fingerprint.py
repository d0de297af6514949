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
    from rasa_ext.nlu.linear_intent import modules_imported
    from tools.fingerprint import MODEL_INPUTS

    root = Path(__file__).resolve().parents[2]
    starts = [*(root / "rasa_ext" / "nlu").glob("*.py")]
    found = modules_imported(starts, root, ("bot", "rasa_ext"))
    seen = {path.relative_to(root).as_posix() for path in found if path not in starts}
    covered = {p for p in seen if any(p == i or p.startswith(i.rstrip("/") + "/") for i in MODEL_INPUTS)}
    assert seen and seen == covered


def test_the_classifiers_cache_key_follows_every_module_its_features_import(tmp_path):
    from rasa_ext.nlu.linear_intent import FEATURE_CODE, modules_imported

    names = {path.name for path in FEATURE_CODE}
    assert {"intent_model.py", "lexicon.py", "courtesy.py", "text.py"} <= names
    package = tmp_path / "bot"
    (package / "sub").mkdir(parents=True)
    (package / "start.py").write_text("import numpy\nfrom bot import helper\nfrom bot.sub.deep import x\n")
    (package / "helper.py").write_text("import bot.leaf\n")
    (package / "leaf.py").write_text("")
    (package / "sub" / "deep.py").write_text("from bot.helper import y\n")
    (package / "unused.py").write_text("")
    found = {path.relative_to(package).as_posix() for path in modules_imported([package / "start.py"], tmp_path)}
    assert found == {"start.py", "helper.py", "leaf.py", "sub/deep.py"}
