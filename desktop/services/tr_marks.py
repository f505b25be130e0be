"""A typed ``QT_TRANSLATE_NOOP``: marks a string for Qt Linguist (``pyside6-lupdate`` finds
it by this name) and returns it untranslated, to be translated where it is shown. PySide's
own returns ``object`` to a type checker."""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    del context  # read by lupdate, not at run time
    return source
