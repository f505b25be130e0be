"""Small helpers so every control carries an accessible name equal to its label."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QWidget


def named(widget: QWidget, name: str) -> QWidget:
    widget.setAccessibleName(name)
    widget.setObjectName(name)
    return widget


def button(text: str, parent: QWidget | None = None) -> QPushButton:
    push = QPushButton(text, parent)
    push.setAccessibleName(text)
    return push


def say(label: QLabel, text: str, level: str = "") -> None:
    """``text`` in ``label``, styled by ``level``: "error" (what stops the user, in the
    error colour, the same in every form) or "" (a hint or progress)."""
    label.setText(text)
    if label.property("level") != level:
        label.setProperty("level", level)
        label.style().unpolish(label)
        label.style().polish(label)


def wrapped_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


def bold(text: str) -> str:
    """A heading in a rich-text label (``text`` escaped: a translation may hold "<" or "&")."""
    import html  # ~3 ms: off the start-up path

    return f"<b>{html.escape(text)}</b>"
