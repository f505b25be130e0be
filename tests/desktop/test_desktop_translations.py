"""Translations: every UI string goes through Qt's translation, lupdate finds them all, the
committed catalogue is current, and a real catalogue changes the real window's words."""

from __future__ import annotations

import ast
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QPushButton, QToolButton
from pytestqt.qtbot import QtBot

from desktop import translations
from tests import processes
from tests.desktop.ui import by_label

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = ROOT / "desktop"
TS_FILE = ROOT / "translations" / "petsapp_en.ts"
BIN = Path(sys.executable).parent
LUPDATE = BIN / "pyside6-lupdate"
LRELEASE = BIN / "pyside6-lrelease"

# Python files whose words never reach a window: the command line, the pre-Qt display check
# (it runs before there is an application to translate with), logging, the smoke test's
# report on stdout. sms.py/phones.py are shared with the backend, which must not load Qt.
NOT_UI = {"__main__.py", "logs.py", "platform_check.py", "smoke.py", "startup_probe.py"}
SHARED_WITH_BACKEND = {"sms.py", "phones.py"}

Message = tuple[str, str, str, bool]  # context, source, disambiguation, plural


def _messages(ts: Path) -> set[Message]:
    found: set[Message] = set()
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found.add(
                (
                    name,
                    message.findtext("source") or "",
                    message.findtext("comment") or "",
                    message.get("numerus") == "yes",
                )
            )
    return found


def _lupdate(ts: Path) -> None:
    # The same command as `make translations` (Makefile), into another file.
    options = ["-extensions", "py", "-no-obsolete", "-locations", "none"]
    processes.run(
        [str(LUPDATE), *options, "desktop", "-ts", str(ts)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def _lrelease(ts: Path, qm: Path) -> None:
    processes.run([str(LRELEASE), str(ts), "-qm", str(qm)], check=True, capture_output=True)


# ---- (a) the committed catalogue is what lupdate finds in the code --------------------------


def test_the_committed_catalogue_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "petsapp_en.ts"
    _lupdate(fresh)
    in_code, committed = _messages(fresh), _messages(TS_FILE)
    missing = sorted(in_code - committed)
    gone = sorted(committed - in_code)
    assert not missing and not gone, (
        "translations/petsapp_en.ts is out of date: run `make translations` and commit it.\n"
        f"  new in the code: {missing[:10]}\n  no longer in the code: {gone[:10]}"
    )


def test_english_plural_forms_are_written_out() -> None:
    """ "%n message(s)" reads "1 message" only through the English catalogue's forms."""
    root = ET.parse(TS_FILE).getroot()
    for message in root.iter("message"):
        if message.get("numerus") != "yes":
            continue
        translation = message.find("translation")
        assert translation is not None
        forms = [form.text or "" for form in translation.iter("numerusform")]
        source = message.findtext("source")
        assert translation.get("type") != "unfinished", f"no English forms for {source!r}"
        assert len(forms) == 2 and all(forms), f"English needs two forms for {source!r}"


# ---- (b) UI strings are translation calls ---------------------------------------------------

# Qt text APIs: method name -> positions of the arguments that are shown to people.
TEXT_METHODS: dict[str, tuple[int, ...]] = {
    "setText": (0,),
    "setToolTip": (0,),
    "setStatusTip": (0,),
    "setWhatsThis": (0,),
    "setPlaceholderText": (0,),
    "setWindowTitle": (0,),
    "setAccessibleName": (0,),
    "setAccessibleDescription": (0,),
    "setTitle": (0,),
    "setFormat": (0,),
    "setLabelText": (0,),
    "setPrefix": (0,),
    "setSuffix": (0,),
    "setSpecialValueText": (0,),
    "setTabText": (1,),
    "setItemText": (1,),
    "addTab": (1,),
    "addAction": (0, 1),
    "addMenu": (0, 1),
    "addItem": (0,),
    "insertItem": (1,),
    "addRow": (0,),
    "setHorizontalHeaderLabels": (0,),
    "setVerticalHeaderLabels": (0,),
    "showMessage": (0, 1),
    # the app's own ways of saying things
    "show_notice": (1,),
    "show_problem": (0,),
    "show_busy": (0,),
    "show_refusal": (0,),
    "set_title": (0,),
    "error": (0,),  # NoticeBridge.error (log calls are filtered out below)
    "info": (0,),
}
# Constructors and helpers: name -> positions of shown arguments (None: all positional).
TEXT_CALLS: dict[str, tuple[int, ...] | None] = {
    "QLabel": None,
    "QPushButton": None,
    "QCheckBox": None,
    "QRadioButton": None,
    "QGroupBox": None,
    "QAction": None,
    "QMenu": None,
    "QTableWidgetItem": None,
    "QListWidgetItem": None,
    "QMessageBox": None,
    "button": (0,),
    "wrapped_label": (0,),
    "named": (1,),
    # exceptions whose text is shown in the window
    "OfflineError": (0,),
    "NotPetsAppError": (0,),
    "CacheTooNewError": (0,),
}
QMESSAGEBOX_STATICS = {"question", "information", "warning", "critical", "about"}
LOGGERS = {"log", "logging", "logger", "_log"}
TEXT_KEYWORDS = {"error"}  # e.g. the outbox's store.update(..., error=...): shown in bubbles


def _is_translation(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr in {"tr", "translate"}
    return isinstance(func, ast.Name) and func.id in {"QT_TRANSLATE_NOOP", "QT_TR_NOOP"}


def _literals(node: ast.AST | None) -> list[str]:
    """The literal text an expression would put on screen untranslated."""
    if node is None or _is_translation(node):
        return []
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else []
    if isinstance(node, ast.JoinedStr):
        return [part for value in node.values for part in _literals(value)]
    if isinstance(node, ast.FormattedValue):
        return _literals(node.value)
    if isinstance(node, ast.BinOp):
        return _literals(node.left) + _literals(node.right)
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [part for value in node.values for part in _literals(value)]
    if isinstance(node, ast.List | ast.Tuple):
        return [part for element in node.elts for part in _literals(element)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        # "a" + ..., " · ".join([...]), "...".format(...): the receiver and what is joined
        receiver = _literals(node.func.value)
        if node.func.attr == "join":
            return receiver + [part for arg in node.args for part in _literals(arg)]
        if node.func.attr == "format":
            return receiver
    return []


def _has_words(text: str) -> bool:
    """Words a person reads, once markup and placeholders are taken out."""
    text = re.sub(r"<[^>]*>", "", text)
    text = re.sub(r"%(?:L?\d+|n|s|d|r)|\{[^}]*\}", "", text)
    return any(ch.isalpha() for ch in text)


def _shown_arguments(call: ast.Call) -> list[ast.AST]:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    positions: tuple[int, ...] | None = ()
    if isinstance(func, ast.Attribute):
        owner = func.value
        if isinstance(owner, ast.Name) and owner.id in LOGGERS:
            return []
        if isinstance(owner, ast.Name) and owner.id == "QMessageBox":
            positions = (1, 2) if name in QMESSAGEBOX_STATICS else None
        else:
            positions = TEXT_METHODS.get(name, ())
    elif name in TEXT_CALLS:
        positions = TEXT_CALLS[name]
    args = (
        list(call.args)
        if positions is None
        else [call.args[i] for i in positions or () if i < len(call.args)]
    )
    args += [kw.value for kw in call.keywords if kw.arg in TEXT_KEYWORDS]
    return args


def _extraction_problem(call: ast.Call, in_class: bool) -> str | None:
    """A translation call lupdate would miss or file under another context than the one Qt
    looks it up in at run time."""
    func = call.func
    if isinstance(func, ast.Name) and func.id == "tr":
        return "a bare tr() is filed without a context: use QCoreApplication.translate(ctx, ...)"
    if not isinstance(func, ast.Attribute):
        return None
    owner = func.value
    if func.attr == "tr":
        if isinstance(owner, ast.Name) and owner.id == "self":
            if not in_class:
                return "self.tr() outside a class"
        elif not (isinstance(owner, ast.Name) and owner.id[:1].isupper()):
            return (
                f"{ast.unparse(owner)}.tr(): lupdate files it under '{ast.unparse(owner)}', "
                "Qt looks it up under the object's class: use QCoreApplication.translate"
            )
        if not call.args or not isinstance(call.args[0], ast.Constant):
            return "tr() of something that is not a literal: lupdate cannot see it"
    if func.attr == "translate" and ast.unparse(owner) in {"QCoreApplication", "QApplication"}:
        if len(call.args) > 3 or any(kw.arg == "n" for kw in call.keywords):
            return (
                "lupdate does not mark translate(..., n) as a plural: use "
                "self.tr(text, '', n) or SomeClass.tr(text, '', n)"
            )
        if not call.args or not isinstance(call.args[0], ast.Constant):
            return "translate() needs a literal context"
    return None


def _ui_files() -> Iterator[Path]:
    for path in sorted(DESKTOP.rglob("*.py")):
        if path.name in NOT_UI | SHARED_WITH_BACKEND or "cache_migrations" in path.parts:
            continue
        yield path


class _Checker(ast.NodeVisitor):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []
        self._classes = 0

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._classes += 1
        self.generic_visit(node)
        self._classes -= 1

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call) and _is_translation(inner):
                where = f"{self.path.relative_to(ROOT)}:{inner.lineno}"
                self.problems.append(
                    f"{where}: a translation inside an f-string: lupdate never sees it "
                    "(translate first, then format)"
                )
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        where = f"{self.path.relative_to(ROOT)}:{node.lineno}"
        if _is_translation(node):
            problem = _extraction_problem(node, self._classes > 0)
            if problem:
                self.problems.append(f"{where}: {problem}")
        elif isinstance(node.func, ast.Name) and node.func.id == "tr":
            self.problems.append(f"{where}: {_extraction_problem(node, self._classes > 0)}")
        else:
            for arg in _shown_arguments(node):
                for text in _literals(arg):
                    if _has_words(text):
                        self.problems.append(f"{where}: untranslated {text!r}")
        self.generic_visit(node)


def test_ui_strings_go_through_translation() -> None:
    problems: list[str] = []
    for path in _ui_files():
        checker = _Checker(path)
        checker.visit(ast.parse(path.read_text(encoding="utf-8")))
        problems += checker.problems
    assert not problems, "UI text that Qt cannot translate:\n" + "\n".join(problems)


def test_the_checker_catches_what_it_should() -> None:
    """The check itself: literals are caught, translated text and punctuation are not."""
    source = """
class W:
    def f(self, x):
        self.label.setText("Hello")
        self.label.setText(self.tr("Hello"))
        self.label.setText(" · ".join(parts))
        self.label.setText(f"<b>{self.tr('Clinic')}</b>")
        button("Send")
        named(field, "Phone number")
        self.window.tr("Wrong context")
        QCoreApplication.translate("C", "%n x", "", 2)
        tr("No context")
        QMessageBox.question(self, "Title", self.tr("Body?"))
        log.error("not shown %s", x)
"""
    checker = _Checker(ROOT / "example.py")
    checker.visit(ast.parse(source))
    found = "\n".join(checker.problems)
    for expected in ("'Hello'", "'Send'", "'Phone number'", "'Title'", "self.window.tr()"):
        assert expected in found
    assert "plural" in found and "bare tr()" in found and "inside an f-string" in found
    assert "not shown" not in found and "Body?" not in found
    assert len(checker.problems) == 8, found


# ---- (c) a real catalogue changes the real window ---------------------------------------------

GERMAN = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ChatPanel</name>
    <message><source>Send</source><translation>Senden</translation></message>
</context>
<context>
    <name>QueuePanel</name>
    <message><source>New chat</source><translation>Neuer Chat</translation></message>
</context>
<context>
    <name>MainWindow</name>
    <message><source>Settings</source><translation>Einstellungen</translation></message>
</context>
</TS>
"""


@pytest.fixture
def clean_translators() -> Iterator[None]:
    """No translator installed by a test outlives it (later tests read English)."""
    yield
    translations.remove_translators()
    QLocale.setDefault(QLocale.system())


def test_a_german_catalogue_changes_the_window(
    demo: Any,
    open_window: Any,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clean_translators: None,
) -> None:
    folder = tmp_path / "translations"
    folder.mkdir()
    (tmp_path / "petsapp_de.ts").write_text(GERMAN, encoding="utf-8")
    _lrelease(tmp_path / "petsapp_de.ts", folder / "petsapp_de.qm")
    monkeypatch.setenv("PETSAPP_TRANSLATIONS_DIR", str(folder))
    monkeypatch.setenv("PETSAPP_LOCALE", "de_DE")

    window = open_window("--server", demo.backend_url)

    assert window.chat_panel.send_button.text() == "Senden"
    assert window.chat_panel.send_button.accessibleName() == "Senden"
    assert window.new_chat_button.text() == "Neuer Chat"
    assert window.new_chat_button.accessibleName() == "Neuer Chat"
    assert window.settings_button.text() == "Einstellungen"
    assert window.settings_button.accessibleName() == "Einstellungen"
    # The app's own controls are found by their (translated) labels, as the smoke test does.
    assert by_label(QPushButton, "Senden", window) is window.chat_panel.send_button
    assert by_label(QToolButton, "Einstellungen", window) is window.settings_button
    # Untranslated words stay English; Qt's own buttons speak German too (qtbase_de.qm).
    assert window.chat_panel.attach_button.text() == "Attach file"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"


def test_without_any_catalogue_the_app_speaks_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_translators: None
) -> None:
    monkeypatch.setenv("PETSAPP_TRANSLATIONS_DIR", str(tmp_path / "nothing-here"))
    monkeypatch.setenv("PETSAPP_LOCALE", "fr_FR")
    app = QCoreApplication.instance()
    assert app is not None
    assert translations.install_translators(app) == []  # nor Qt's French: one language
    assert QCoreApplication.translate("ChatPanel", "Send") == "Send"


def test_an_unknown_language_falls_back_to_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_translators: None
) -> None:
    folder = tmp_path / "translations"
    folder.mkdir()
    english = tmp_path / "petsapp_en.ts"
    shutil.copy(TS_FILE, english)
    _lrelease(english, folder / "petsapp_en.qm")
    monkeypatch.setenv("PETSAPP_TRANSLATIONS_DIR", str(folder))
    monkeypatch.setenv("PETSAPP_LOCALE", "fi_FI")
    app = QCoreApplication.instance()
    assert app is not None
    loaded = translations.install_translators(app)
    assert "petsapp_en.qm" in loaded
    # The English catalogue's plural forms.
    pending = QCoreApplication.translate("Workspace", "%n pending", "", 1)
    assert pending == "1 pending"
    asked = QCoreApplication.translate(
        "SignOutWords",
        "%n message(s) or change(s) have not reached the server yet. Signing out deletes "
        "them from this computer. Sign out anyway?",
        "",
        1,
    )
    assert asked.startswith("1 message or change has not reached the server")
