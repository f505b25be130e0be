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


def wrapped_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label
