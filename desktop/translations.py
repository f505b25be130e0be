"""The app's language: Qt translators for PetsApp's own words and Qt's standard dialogs.

``resources/translations/petsapp_<language>.qm`` is compiled from ``translations/*.ts``
(``make translations``; the build does it too). The system's language is used
(``QLocale.system()``), falling back to English; the app works without any ``.qm`` (it then
shows the source texts, which are English). Qt's own words (the buttons of standard
dialogs, a line edit's context menu) come from ``qtbase_<language>.qm`` in Qt's translations
folder, in the language PetsApp's catalogue is in.

``PETSAPP_LOCALE`` (e.g. ``de_DE``) chooses another language; ``PETSAPP_TRANSLATIONS_DIR``
another folder of ``petsapp_*.qm`` files (a translator's work in progress, tests).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop.resource_paths import resources_dir

log = logging.getLogger(__name__)

CATALOGUE = "petsapp"
FALLBACK = "en"

_installed: list[QTranslator] = []


def app_translations_dir() -> Path:
    override = os.environ.get("PETSAPP_TRANSLATIONS_DIR")
    return Path(override) if override else resources_dir() / "translations"


def qt_translations_dir() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def chosen_locale() -> QLocale:
    override = os.environ.get("PETSAPP_LOCALE")
    return QLocale(override) if override else QLocale.system()


def install_translators(app: QCoreApplication) -> list[str]:
    """Install the translators for the chosen language (replacing any installed earlier by
    this function); returns the file names loaded. Loading a ``.qm`` maps the file: well
    under a millisecond for this app's catalogue."""
    remove_translators()
    locale = chosen_locale()
    if os.environ.get("PETSAPP_LOCALE"):
        QLocale.setDefault(locale)  # numbers and Qt's own formats follow the choice too
    loaded: list[str] = []
    ours = QTranslator()  # kept alive by _installed once installed
    folder = str(app_translations_dir())
    if ours.load(locale, CATALOGUE, "_", folder) or ours.load(f"{CATALOGUE}_{FALLBACK}", folder):
        loaded.append(Path(ours.filePath()).name)
        _install(app, ours)
    # Qt's own words in the language the app got (never German buttons on English text).
    spoken = QLocale(ours.language()) if loaded else None
    qt_dir = qt_translations_dir()
    if spoken is not None and spoken.language() != QLocale.Language.English and qt_dir:
        qt = QTranslator()
        if qt.load(spoken, "qtbase", "_", qt_dir):
            loaded.append(Path(qt.filePath()).name)
            _install(app, qt)
    log.info("translations: %s", ", ".join(loaded) or "none (source texts)")
    return loaded


def remove_translators() -> None:
    app = QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            app.removeTranslator(translator)


def _install(app: QCoreApplication, translator: QTranslator) -> None:
    app.installTranslator(translator)
    _installed.append(translator)
